"""Settings: every ECON_* is checked at start-up with a message naming it; README is generated."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from econ.config import VARIABLES, ConfigError, Settings, load_settings, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
KEY = "Vd3q-8sLk2_pQz7Rt0XwYb4NcJm6HaE1uFgT9iOo"  # random-looking: production checks entropy


def _load(tmp_path, **env: str) -> Settings:
    return load_settings({"ECON_DATA_DIR": str(tmp_path), "ECON_SECRET_KEY": KEY, **env})


@pytest.mark.parametrize(
    ("name", "value", "wanted"),
    [
        ("ECON_LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("ECON_INTROSPECTION", "maybe", "must be one of true, false"),
        ("ECON_PORT", "80a", "must be a whole number"),
        ("ECON_PORT", "70000", "must be between 1 and 65535"),
        ("ECON_MAX_PAGE_SIZE", "500", "must be between 1 and 100"),
        ("ECON_ENV", "staging", "must be one of development, production, test"),
        ("ECON_DATABASE_URL", "mysql://db/econ", "must be a URL starting with postgresql://"),
        ("ECON_BROKER_URL", "amqp://mq", "must be a URL starting with redis://"),
        ("ECON_PAYMENT_CHUNK_SIZE", "0", "must be between 1 and 100000"),
        ("ECON_WORKER_CONCURRENCY", "-1", "must be between 1 and 64"),
    ],
)
def test_a_bad_value_stops_start_up_with_the_variable_named(tmp_path, name, value, wanted):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, **{name: value})
    assert f"{name} {wanted}" in str(caught.value)
    assert repr(value) in str(caught.value)


def test_every_bad_variable_is_reported_at_once_and_secrets_are_never_echoed(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, ECON_LOG_LEVEL="LOUD", ECON_PORT="x", ECON_SECRET_KEY="short-secret")
    message = str(caught.value)
    assert "ECON_LOG_LEVEL" in message and "ECON_PORT" in message
    assert "ECON_SECRET_KEY must be at least 32 characters" in message
    assert "short-secret" not in message


def test_values_are_parsed(tmp_path):
    settings = _load(
        tmp_path, ECON_LOG_LEVEL="debug", ECON_INTROSPECTION="off", ECON_MAX_PAGE_SIZE="50"
    )
    assert (settings.log_level, settings.introspection, settings.max_page_size) == (
        "DEBUG",
        False,
        50,
    )
    assert _load(tmp_path).introspection is True
    assert _load(tmp_path, ECON_ENV="production").introspection is False


def test_a_key_ring_needs_its_own_hashing_key_and_only_one_source(tmp_path):
    ring = f"new:{'n' * 40},old:{'o' * 40}"
    env = {"ECON_DATA_DIR": str(tmp_path), "ECON_SECRET_KEYS": ring}
    with pytest.raises(ConfigError, match="ECON_HASH_KEY must be set with ECON_SECRET_KEYS"):
        load_settings(env)
    settings = load_settings({**env, "ECON_HASH_KEY": "h" * 40})
    assert [key_id for key_id, _ in settings.field_keys] == ["new", "old"]
    assert settings.hashing_secret == "h" * 40
    with pytest.raises(ConfigError, match="set only one of ECON_SECRET_KEY, ECON_SECRET_KEYS"):
        load_settings({**env, "ECON_HASH_KEY": "h" * 40, "ECON_SECRET_KEY": KEY})
    with pytest.raises(ConfigError, match="names a key id twice"):
        load_settings({**env, "ECON_SECRET_KEYS": f"a:{'n' * 40},a:{'o' * 40}"})


def test_a_keyring_file_must_be_private(tmp_path):
    ring = tmp_path / "keyring"
    ring.write_text(f"# current first\nnew:{'n' * 40}\nold:{'o' * 40}\n")
    ring.chmod(0o644)
    env = {"ECON_DATA_DIR": str(tmp_path), "ECON_KEYRING_FILE": str(ring), "ECON_HASH_KEY": KEY}
    with pytest.raises(ConfigError, match="ECON_KEYRING_FILE is readable by others: chmod 600"):
        load_settings(env)
    ring.chmod(0o600)
    assert [k for k, _ in load_settings(env).field_keys] == ["new", "old"]
    assert "n" * 40 not in repr(load_settings(env))


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="ECON_SECRET_KEY must be set"):
        load_settings({"ECON_ENV": "production", "ECON_DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "secret.key").exists()


def test_an_unknown_econ_variable_is_reported_as_a_likely_typo(tmp_path, capsys):
    _load(tmp_path, ECON_INTROSPECTON="false", ECON_TEST_DATABASE_URL="", ECON_USER="a@b.c")
    err = capsys.readouterr().err
    assert "ECON_INTROSPECTON is not a setting of econ" in err
    assert "ECON_TEST_DATABASE_URL" not in err and "ECON_USER" not in err


def test_declared_defaults_are_the_settings_defaults():
    defaults = Settings()
    for var in VARIABLES:
        if var.default is not None:
            assert getattr(defaults, var.attr) == var.default, var.name
    assert {v.attr for v in VARIABLES} == {f.name for f in dataclasses.fields(Settings)}


def test_the_readme_table_is_generated_from_the_definitions():
    assert markdown_table() in README.read_text(), "run `econ settings --markdown` into README"
