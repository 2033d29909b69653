"""What the store holds: the kind of each document, and the fixed values written into them that more
than one backend module reads (statuses, product types, trigger types, association names).

The kind strings are what `--state` files already hold: changing one would orphan stored documents.
"""

from __future__ import annotations

# Account-wide documents (no Region).
NUMBER = "number"
ORDER = "order"
PENDING_ORDER = "pending-order"
RESERVED_NUMBER = "reserved-number"
PHONE_NUMBER_SETTINGS = "phone-number-settings"
TAGS = "tags"  # keyed by resource ARN
RECORDED_CALL = "recorded-call"

# Per-Region documents.
SMA = "sma"
SMA_LOGGING = "sma-logging"  # keyed by SIP media application id, deleted with it
RULE = "sip-rule"
VOICE_CONNECTOR = "voice-connector"
VOICE_CONNECTOR_LOGGING = "voice-connector-logging"  # keyed by Voice Connector id, deleted with it

# Phone numbers.
DIAL_IN = "SipMediaApplicationDialIn"
VOICE_CONNECTOR_PRODUCT = "VoiceConnector"
UNASSIGNED, ASSIGNED, RELEASING = "Unassigned", "Assigned", "ReleaseInProgress"
INVENTORY_STATUSES = (UNASSIGNED, ASSIGNED)

# What a number is associated with (PhoneNumberAssociationName).
SIP_RULE_ID = "SipRuleId"
VOICE_CONNECTOR_ID = "VoiceConnectorId"
VOICE_CONNECTOR_GROUP_ID = "VoiceConnectorGroupId"

# SIP rule triggers.
TO_PHONE_NUMBER, REQUEST_URI_HOSTNAME = "ToPhoneNumber", "RequestUriHostname"
