"""Mapping tables (data). This file only makes the folder an importable package for the installed tool."""
