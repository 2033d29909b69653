"""The chime-sdk-voice commands of the seed tutorial "Routing calls to AWS Lambda functions for
Amazon Chime SDK PSTN audio" (shared/seed/tutorial-routing-calls-to-lambda.md), copied verbatim.

Only the chime-sdk-voice lines are here: the IAM, Lambda and STS steps around them are other
services (their results — the Lambda ARNs — are given as environment variables instead).
Placeholders the tutorial tells the reader to replace are listed in `REPLACE`.
"""

from __future__ import annotations

SEARCH = """\
# Search for available toll-free phone numbers
aws chime-sdk-voice search-available-phone-numbers \\
  --phone-number-type TollFree \\
  --country US \\
  --toll-free-prefix 844 \\
  --max-results 5 \\
  --region us-east-1
"""

ORDER = """\
# Order a phone number
aws chime-sdk-voice create-phone-number-order \\
  --product-type SipMediaApplicationDialIn \\
  --e164-phone-numbers "+18443140123" \\
  --region us-east-1
"""

GET_ORDER = """\
# Get the phone number order status
aws chime-sdk-voice get-phone-number-order \\
  --phone-number-order-id abcd1234-5678-90ab-cdef-EXAMPLE55555 \\
  --region us-east-1
"""

LIST_NUMBERS = """\
# List all phone numbers
aws chime-sdk-voice list-phone-numbers \\
  --region us-east-1
"""

LIST_UNASSIGNED = """\
# List unassigned phone numbers
aws chime-sdk-voice list-phone-numbers \\
  --region us-east-1 \\
  --query "PhoneNumbers[?Status=='Unassigned'].E164PhoneNumber"
"""

CREATE_SMA = """\
aws chime-sdk-voice create-sip-media-application \\
  --aws-region us-east-1 \\
  --name "MyCallHandlerApp" \\
  --endpoints "[{\\"LambdaArn\\":\\"${LAMBDA_ARN}\\"}]"
"""

GET_SMA_ID = """\
SIP_MEDIA_APP_ID=$(aws chime-sdk-voice list-sip-media-applications \\
  --query "SipMediaApplications[?Name=='MyCallHandlerApp'].SipMediaApplicationId" \\
  --output text)

echo "SIP Media Application ID: ${SIP_MEDIA_APP_ID}"
"""

PHONE_NUMBER_RULE = """\
# Get an unassigned phone number from your inventory
PHONE_NUMBER=$(aws chime-sdk-voice list-phone-numbers \\
  --query "PhoneNumbers[?Status=='Unassigned'].E164PhoneNumber | [0]" \\
  --output text)

# If no unassigned phone number is found, you'll need to provision one
if [ -z "$PHONE_NUMBER" ] || [ "$PHONE_NUMBER" == "None" ]; then
  echo "No unassigned phone numbers found. Please provision a phone number first."
  exit 1
fi

echo "Using phone number: ${PHONE_NUMBER}"

aws chime-sdk-voice create-sip-rule \\
  --name "IncomingCallRule" \\
  --trigger-type ToPhoneNumber \\
  --trigger-value "${PHONE_NUMBER}" \\
  --target-applications "[{\\"SipMediaApplicationId\\":\\"${SIP_MEDIA_APP_ID}\\",\\"Priority\\":1}]"
"""

HOSTNAME_RULE = """\
# Replace with your Voice Connector hostname
VOICE_CONNECTOR_HOST="example.voiceconnector.chime.aws"

aws chime-sdk-voice create-sip-rule \\
  --name "VoiceConnectorRule" \\
  --trigger-type RequestUriHostname \\
  --trigger-value "${VOICE_CONNECTOR_HOST}" \\
  --target-applications "[{\\"SipMediaApplicationId\\":\\"${SIP_MEDIA_APP_ID}\\",\\"Priority\\":1}]"
"""

CREATE_BACKUP_SMA = """\
aws chime-sdk-voice create-sip-media-application \\
  --aws-region us-east-1 \\
  --name "BackupCallHandlerApp" \\
  --endpoints "[{\\"LambdaArn\\":\\"${BACKUP_LAMBDA_ARN}\\"}]"

# Get the backup SIP media application ID
BACKUP_SIP_MEDIA_APP_ID=$(aws chime-sdk-voice list-sip-media-applications \\
  --query "SipMediaApplications[?Name=='BackupCallHandlerApp'].SipMediaApplicationId" \\
  --output text)
"""

GET_RULE_ID = """\
SIP_RULE_ID=$(aws chime-sdk-voice list-sip-rules \\
  --query "SipRules[?Name=='IncomingCallRule'].SipRuleId" \\
  --output text)
"""

UPDATE_RULE = """\
aws chime-sdk-voice update-sip-rule \\
  --sip-rule-id ${SIP_RULE_ID} \\
  --target-applications "[{\\"SipMediaApplicationId\\":\\"${SIP_MEDIA_APP_ID}\\",\\"Priority\\":1},\
{\\"SipMediaApplicationId\\":\\"${BACKUP_SIP_MEDIA_APP_ID}\\",\\"Priority\\":2}]"
"""

OUTBOUND_CALL = """\
# Use a phone number from your inventory for outbound calling
FROM_PHONE_NUMBER=${PHONE_NUMBER}
TO_PHONE_NUMBER="+12065550102"  # Replace with a valid destination number

aws chime-sdk-voice create-sip-media-application-call \\
  --from-phone-number "${FROM_PHONE_NUMBER}" \\
  --to-phone-number "${TO_PHONE_NUMBER}" \\
  --sip-media-application-id ${SIP_MEDIA_APP_ID}
"""

UPDATE_CALL = """\
# Replace with an actual transaction ID from an active call
TRANSACTION_ID="txn-3ac9de3f-6b5a-4be9-9e7e-EXAMPLE33333"

aws chime-sdk-voice update-sip-media-application-call \\
  --sip-media-application-id ${SIP_MEDIA_APP_ID} \\
  --transaction-id ${TRANSACTION_ID} \\
  --arguments '{"action":"custom-action"}'
"""

DELETE_RULE = """\
# Get the SIP rule ID if you don't have it
SIP_RULE_ID=$(aws chime-sdk-voice list-sip-rules \\
  --query "SipRules[?Name=='IncomingCallRule'].SipRuleId" \\
  --output text)

aws chime-sdk-voice delete-sip-rule --sip-rule-id ${SIP_RULE_ID}
"""

DELETE_SMAS = """\
# Get SIP media application IDs if you don't have them
SIP_MEDIA_APP_ID=$(aws chime-sdk-voice list-sip-media-applications \\
  --query "SipMediaApplications[?Name=='MyCallHandlerApp'].SipMediaApplicationId" \\
  --output text)

BACKUP_SIP_MEDIA_APP_ID=$(aws chime-sdk-voice list-sip-media-applications \\
  --query "SipMediaApplications[?Name=='BackupCallHandlerApp'].SipMediaApplicationId" \\
  --output text)

aws chime-sdk-voice delete-sip-media-application --sip-media-application-id ${SIP_MEDIA_APP_ID}
aws chime-sdk-voice delete-sip-media-application --sip-media-application-id ${BACKUP_SIP_MEDIA_APP_ID}
"""

RELEASE_NUMBERS = """\
# List phone numbers
aws chime-sdk-voice list-phone-numbers

# Delete a specific phone number
aws chime-sdk-voice delete-phone-number --phone-number-id ${PHONE_NUMBER}
"""

# The placeholders the tutorial says to replace with values from earlier answers.
REPLACE = {
    "ordered_number": "+18443140123",  # "Replace +18443140123 with an actual available phone number"
    "order_id": "abcd1234-5678-90ab-cdef-EXAMPLE55555",  # "Replace the order ID with the one returned"
}
