"""The Pulumi components of the program: validated stack settings, the Lambda bundle, and the
resources each stack declares (handlers, gates, routing). May use `providers`; nothing imports it
but the program (`__main__.py`)."""
