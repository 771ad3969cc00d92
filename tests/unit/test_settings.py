"""Settings refuse unsafe production configurations with one line naming the setting."""

from __future__ import annotations

import pytest

from app.settings import SettingsError, load_settings

SAFE = {
    "app_env": "production",
    "auth_mode": "local",
    "auth_secret": "s" * 32,
    "webhook_secret": "w",
    "trusted_documents": "manifest.json",
    "_env_file": None,
}


def test_a_safe_production_configuration_loads() -> None:
    assert load_settings(**SAFE).production


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"firebase_auth_emulator_host": "127.0.0.1:9099"}, "FIREBASE_AUTH_EMULATOR_HOST"),
        ({"auth_secret": "short"}, "AUTH_SECRET"),
        ({"webhook_secret": None}, "WEBHOOK_SECRET"),
        ({"trusted_documents": None}, "TRUSTED_DOCUMENTS"),
    ],
)
def test_production_refuses_unsafe_settings_naming_them(change: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(**{**SAFE, **change})
    assert named in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_bad_value_names_its_variable() -> None:
    with pytest.raises(SettingsError, match="RATE_LIMIT"):
        load_settings(rate_limit="lots", _env_file=None)
