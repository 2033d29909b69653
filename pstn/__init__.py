"""The PSTN audio Lambda contract, for the code that plays the service's side of it: the checks the
service applies to a handler's answer (`answer_checks`) and a local Lambda-like runtime for handler
files (`local_lambda`, driving the `lambda_worker` script). The call simulator and `ops smoke` both
use it.

Never imported by `handlers/` (the Lambda bundle), so it adds nothing to a handler's cold start;
stdlib only.
"""
