"""The per-user cache of compiled templates (template_cache.py): a hit gives the same
page as a compile, and what the compiled code depends on is never taken from a stale entry."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from gongkai import template_cache


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "gongkai" / "jinja"


def _env(folder: Path, **options: object) -> jinja2.Environment:
    return template_cache.install(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), **options))


def _no_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although cached")

    monkeypatch.setattr(jinja2.Environment, "_compile", refuse)


def test_a_template_compiled_once_is_loaded_by_the_next_build(tmp_path: Path, user_cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.html").write_text("{% for x in xs %}<b>{{ x }}</b>{% endfor %}", encoding="utf-8")
    first = _env(tmp_path).get_template("t.html").render(xs=["<a>", 2])
    assert first == "<b><a></b><b>2</b>"
    entries = list(user_cache.iterdir())
    assert len(entries) == 1 and entries[0].stat().st_mode & 0o777 == 0o600
    assert user_cache.stat().st_mode & 0o777 == 0o700
    _no_compile(monkeypatch)
    assert _env(tmp_path).get_template("t.html").render(xs=["<a>", 2]) == first


def test_an_edited_template_is_compiled_again(tmp_path: Path, user_cache: Path) -> None:
    (tmp_path / "t.html").write_text("old {{ x }}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.html").render(x=1) == "old 1"
    (tmp_path / "t.html").write_text("new {{ x }}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.html").render(x=1) == "new 1"


def test_options_the_code_depends_on_are_part_of_the_entry(tmp_path: Path, user_cache: Path) -> None:
    # The same source compiles to other code under autoescape or trim_blocks; Jinja's own
    # cache would hand the first environment's code to the second.
    (tmp_path / "t.html").write_text("{% if x %}\n{{ x }}{% endif %}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.html").render(x="<i>") == "\n<i>"
    assert _env(tmp_path, autoescape=True).get_template("t.html").render(x="<i>") == "\n&lt;i&gt;"
    assert _env(tmp_path, trim_blocks=True).get_template("t.html").render(x="<i>") == "<i>"
    assert len(list(user_cache.iterdir())) == 3


def test_a_plugin_changing_the_environment_after_install_is_accounted_for(tmp_path: Path, user_cache: Path) -> None:
    (tmp_path / "t.html").write_text("{% if x %}\n{{ x }}{% endif %}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.html").render(x="a") == "\na"
    env = _env(tmp_path)
    env.trim_blocks = True  # another plugin's on_env, after gongkai's
    assert env.get_template("t.html").render(x="a") == "a"


def test_from_string_is_cached_too(tmp_path: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _env(tmp_path)
    assert template_cache.from_string(env, "{{ 1 + x }}", "sum").render(x=1) == "2"
    assert len(list(user_cache.iterdir())) == 1
    _no_compile(monkeypatch)
    assert template_cache.from_string(_env(tmp_path), "{{ 1 + x }}", "sum").render(x=2) == "3"


def test_an_unreadable_entry_is_a_miss(tmp_path: Path, user_cache: Path) -> None:
    (tmp_path / "t.html").write_text("{{ x }}!", encoding="utf-8")
    _env(tmp_path).get_template("t.html")
    (entry,) = user_cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:20])  # cut short
    assert _env(tmp_path).get_template("t.html").render(x=1) == "1!"
    entry.write_bytes(b"\x00" * 64)
    assert _env(tmp_path).get_template("t.html").render(x=2) == "2!"


def test_no_cache_where_the_folder_cannot_be_the_users_own(tmp_path: Path, user_cache: Path) -> None:
    (tmp_path / "t.html").write_text("{{ x }}", encoding="utf-8")
    user_cache.parent.mkdir(parents=True)
    user_cache.write_text("a file where the folder would be", encoding="utf-8")
    env = _env(tmp_path)
    assert env.bytecode_cache is None
    assert env.get_template("t.html").render(x=3) == "3"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="giving a folder away needs root")
def test_another_users_folder_is_not_used(tmp_path: Path, user_cache: Path) -> None:
    user_cache.mkdir(parents=True)
    os.chown(user_cache, 65534, 65534)
    assert _env(tmp_path).bytecode_cache is None


def test_a_folder_open_to_others_is_closed(tmp_path: Path, user_cache: Path) -> None:
    user_cache.mkdir(parents=True)
    os.chmod(user_cache, 0o777)
    assert _env(tmp_path).bytecode_cache is not None
    assert user_cache.stat().st_mode & 0o777 == 0o700


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert template_cache.cache_folder() == Path.home() / ".cache" / "gongkai" / "jinja"


def test_no_home_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    (tmp_path / "t.html").write_text("{{ x }}", encoding="utf-8")
    env = _env(tmp_path)
    assert env.bytecode_cache is None and env.get_template("t.html").render(x=4) == "4"
