"""The value checks the program, providers and ops share (awsutil/chime_values.py)."""

from __future__ import annotations

from awsutil.chime_values import hostname_problem, is_e164


def test_a_host_name_is_at_most_253_characters() -> None:
    # Well-formed at every length: labels of at most 63 characters, so only the total decides.
    longest = ("a" * 63 + ".") * 3 + "b" * 61
    assert len(longest) == 253 and hostname_problem(longest) is None
    one_more = longest[:-1] + "bb"
    assert len(one_more) == 254 and "is not a valid host name" in str(hostname_problem(one_more))


def test_host_names_need_two_labels_and_are_not_ip_addresses() -> None:
    assert hostname_problem("abc.voiceconnector.chime.aws") is None
    assert hostname_problem("localhost") is not None
    assert "looks like an IP address" in str(hostname_problem("10.0.0.1"))
    assert hostname_problem("a" * 64 + ".example.com") is not None  # a label of 64 characters


def test_an_e164_number_is_at_most_15_digits() -> None:
    assert is_e164("+1" + "5" * 14) and not is_e164("+1" + "5" * 15)
