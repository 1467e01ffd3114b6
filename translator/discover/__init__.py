"""Discover a live Lambda estate with boto3 and write it as ``inventory.json``.

``session`` makes the clients, ``lambda_inventory`` reads one function, ``metrics`` and ``stacks`` read
CloudWatch and CloudFormation, ``pool`` runs regions and functions concurrently, ``gaps`` records what
could not be read, ``secrets`` decides which environment values may be kept, ``drift`` compares a
stack's template with what runs, and ``inventory`` assembles, validates and writes the document.
boto3 is imported only here, so the other commands never pay for it.
"""
