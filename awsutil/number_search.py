"""The phone-number search criteria, once: each SearchAvailablePhoneNumbers member with the stack
config key, the PhoneNumber provider input and the `ops numbers search` flag that carry it.

Settings, the PhoneNumber provider and `ops` all read this table, so a new criterion is one row
here. What a value may be comes from the service model (`constraints()`); the row adds only what
the model cannot say: words for messages and help, and which criteria go together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awsutil.service_model import member_shape

REQUEST = "SearchAvailablePhoneNumbersRequest"


@dataclass(frozen=True)
class SearchField:
    member: str  # the SearchAvailablePhoneNumbers request member
    config_key: str  # stack config: phoneNumbers[N].search.<config_key>
    input_key: str  # PhoneNumber provider input: search.<input_key>
    flag: str  # python -m ops numbers search <flag>
    description: str  # what a value is, for --help and error messages
    example: str  # a valid value
    only_for: str | None = None  # the PhoneNumberType this criterion narrows; None: any
    needs: str | None = None  # the member of another criterion this one cannot go without
    pattern: str | None = None  # what a value must match, where the model gives no pattern

    def constraints(self) -> dict[str, Any]:
        """The member's shape in the service model (enum, pattern, min, max, when it has them),
        with this row's `pattern` where the model has none."""
        shape = member_shape(REQUEST, self.member)
        return {**shape, "pattern": self.pattern} if self.pattern and "pattern" not in shape else shape


# In this order in every listing, and in the PhoneNumber resource names derived from a search.
FIELDS: tuple[SearchField, ...] = (
    SearchField("PhoneNumberType", "phoneNumberType", "phone_number_type", "--phone-number-type",
                "Local or TollFree", "TollFree"),
    SearchField("Country", "country", "country", "--country",
                "a two-letter upper-case country code (ISO 3166-1 alpha-2, e.g. US)", "US"),
    SearchField("TollFreePrefix", "tollFreePrefix", "toll_free_prefix", "--toll-free-prefix",
                "a toll-free prefix (800, 833, 844, 855, 866, 877 or 888)", "844", only_for="TollFree"),
    # The model types AreaCode as any string; an area code is 2-5 (ASCII) digits wherever it is used.
    SearchField("AreaCode", "areaCode", "area_code", "--area-code",
                "an area code of Local numbers (2-5 digits, e.g. 206)", "206", only_for="Local",
                pattern="[0-9]{2,5}"),
    SearchField("City", "city", "city", "--city", "a city of Local numbers (needs a state)", "Seattle",
                only_for="Local", needs="State"),
    SearchField("State", "state", "state", "--state", "a state of Local numbers, e.g. WA", "WA",
                only_for="Local"),
)
# The criterion that picks the kind of number; `only_for` refers to its values.
NUMBER_TYPE = FIELDS[0]
BY_MEMBER = {f.member: f for f in FIELDS}
BY_CONFIG_KEY = {f.config_key: f for f in FIELDS}
BY_INPUT_KEY = {f.input_key: f for f in FIELDS}
