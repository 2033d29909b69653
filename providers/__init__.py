"""Pulumi dynamic resources for the Chime SDK Voice API (phone numbers, SIP media applications, SIP
rules), each a resource class plus the provider class the engine pickles by reference."""
