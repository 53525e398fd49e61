"""Located JSON errors, the project's pretty format, atomic writes and locating validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.jsonfile import JsonFileError, Location, atomic_write, dumps_pretty, locate, read_json


def _error(path: Path) -> JsonFileError:
    with pytest.raises(JsonFileError) as caught:
        read_json(path)
    return caught.value


def test_reads_data_text_and_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_bytes('{"name": "Café"}\n'.encode())
    data, text, raw = read_json(path)
    assert data == {"name": "Café"}
    assert text == '{"name": "Café"}\n'
    assert raw == path.read_bytes()


def test_malformed_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "name": "x",\n  "kind" "read"\n}\n')
    error = _error(path)
    assert error.location == Location(3, 10)
    assert str(error).startswith(f"{path}:3:10: invalid JSON")


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{\n  "name": "caf\xe9"\n}\n')
    error = _error(path)
    assert error.location == Location(2, 15)
    assert "not UTF-8" in error.message and "0xe9" in error.message


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    error = _error(path)
    assert error.location == Location(1, 1)
    assert "empty" in error.message


def test_directory_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert "is a directory" in _error(folder).message


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot be read" in _error(tmp_path / "absent.json").message


def test_byte_order_mark_and_wide_integers_are_read(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes('\ufeff{"id": 123456789012345678901234567890}'.encode())
    data, _, _ = read_json(path)
    assert data == {"id": 123456789012345678901234567890}
    assert dumps_pretty(data) == b'{\n  "id": 123456789012345678901234567890\n}\n'


def test_pretty_format_is_two_space_utf8_with_trailing_newline() -> None:
    assert dumps_pretty({"b": 1, "a": ["é", None]}) == '{\n  "b": 1,\n  "a": [\n    "é",\n    null\n  ]\n}\n'.encode()


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "file.json"
    atomic_write(path, b"one\n")
    atomic_write(path, b"two\n")
    assert path.read_bytes() == b"two\n"
    assert [item.name for item in path.parent.iterdir()] == ["file.json"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(b"old\n")
    with pytest.raises(TypeError):
        atomic_write(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old\n"
    assert [item.name for item in tmp_path.iterdir()] == ["file.json"]


def test_locate_points_at_keys_elements_and_the_object_missing_a_key() -> None:
    text = '{\n  "steps": [\n    {"id": "a"},\n    {"id": "b", "type": 3}\n  ]\n}'
    assert locate(text, ("steps", 1, "type")) == Location(4, 17)
    assert locate(text, ("steps", 0)) == Location(3, 5)
    assert locate(text, ("steps", 0, "text")) == Location(3, 5)
    assert locate(text, ()) == Location(1, 1)
