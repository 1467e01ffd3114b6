"""lambda2func: translate AWS Lambda infrastructure as code into Azure Functions (Flex Consumption)."""

__version__ = "0.1.0"
