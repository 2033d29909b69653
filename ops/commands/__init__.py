"""One module per `python -m ops` command; `options` holds the flags several of them share."""
