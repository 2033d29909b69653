"""In-process claims: creates of one provider process never order the same number of one inventory."""

from __future__ import annotations

from providers import number_claims
from providers.number_claims import Claims


def test_a_claimed_number_is_skipped_until_let_go_in_its_inventory_only() -> None:
    with Claims("aws") as first, Claims("aws") as second, Claims("http://127.0.0.1:1") as elsewhere:
        assert first.first_free(["+12065550100", "+12065550101"]) == "+12065550100"
        assert second.first_free(["+12065550100", "+12065550101"]) == "+12065550101"
        assert second.first_free(["+12065550100"]) is None
        assert first.first_free(["+12065550100"]) == "+12065550100"  # its own claim
        # Another inventory (an emulator) has numbers of its own.
        assert elsewhere.first_free(["+12065550100"]) == "+12065550100"
        assert number_claims.held("aws", "+12065550100") and number_claims.held_count("aws") == 2
        first.let_go("+12065550100")
        assert second.first_free(["+12065550100"], skip=["+12065550100"]) is None
        assert second.first_free(["+12065550100"]) == "+12065550100"
    assert number_claims.held_count("aws") == 0
    assert not number_claims.held("http://127.0.0.1:1", "+12065550100")
