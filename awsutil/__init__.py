"""Helpers for calling AWS that the providers, `ops` and the emulator share: ARN parsing, error
classification, the retry policy, client-side pagination and the botocore service models.

Import the module you need (`from awsutil.retry import ...`); nothing is re-exported here, so
importing one helper never loads the others.
"""
