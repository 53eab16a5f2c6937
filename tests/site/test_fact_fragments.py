"""The MkDocs hook merges facts.json with the fact fragments single tasks write (``*.facts.json``)."""
import json

import pytest
from mkdocs.exceptions import PluginError

from build_assets import mkdocs_hook


def test_fragments_are_merged_with_facts_json(tmp_path):
    (tmp_path / "facts.json").write_text(json.dumps({"a.b": "1", "shared": "x"}))
    (tmp_path / "bowl").mkdir()
    (tmp_path / "bowl" / "rates.facts.json").write_text(json.dumps({"bowl.rates.k": "20", "shared": "x"}))
    (tmp_path / "bowl" / "other.json").write_text(json.dumps({"not.a.fragment": "?"}))
    assert mkdocs_hook.load_all_facts(tmp_path) == {"a.b": "1", "shared": "x", "bowl.rates.k": "20"}


def test_a_fragment_that_contradicts_facts_json_fails(tmp_path):
    (tmp_path / "facts.json").write_text(json.dumps({"shared": "x"}))
    (tmp_path / "rates.facts.json").write_text(json.dumps({"shared": "y"}))
    with pytest.raises(PluginError, match="shared"):
        mkdocs_hook.load_all_facts(tmp_path)


def test_fragments_without_facts_json(tmp_path):
    (tmp_path / "rates.facts.json").write_text(json.dumps({"k": "v"}))
    assert mkdocs_hook.load_all_facts(tmp_path) == {"k": "v"}
    assert mkdocs_hook.load_all_facts(tmp_path / "missing") == {}
