"""workbench: build, mock, step-debug and test support-agent procedures in the terminal."""

__version__ = "0.1.0"
