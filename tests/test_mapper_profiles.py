"""The mapper, driven by a layout profile: labels, default article, a profile's mistakes (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WorkbookFactory
from mapper_helpers import HEADER, PRODUCT, body, found, rows_of, sheet

from converter.errors import ProfileError
from converter.model.profile import default_profile_path, load_profile
from converter.pipeline import validate_files

# --- layout profiles -----------------------------------------------------------------------


def _profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = default_profile_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "my-profile.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_profile_default_article_makes_priced_rows_product_rows(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    profile = load_profile(
        _profile_with(tmp_path, 'default_article = ""', 'default_article = "DIVERSE"')
    )
    path = make_workbook({"Offert": sheet([PRODUCT, [2, None, "Frakt", 1, None, 150]])})
    report = validate_files([path], profile)
    assert found(report) == []
    assert rows_of(report)[1] == {
        "CustomerRowType": 2,
        "RowNr": 2,
        "ProductNr": "DIVERSE",
        "Text": "Frakt",
        "Quantity": 1,
        "Amount": 150,
    }
    # a text row stays a text row
    path2 = make_workbook({"Offert": sheet([PRODUCT, [2, None, "Text"]])}, name="b.xlsx")
    assert rows_of(validate_files([path2], profile))[1]["CustomerRowType"] == 3


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('name = "standard"', 'name = "standard"\ncolour = "red"', "colour"),
        ('default_article = ""', 'default_artikel = "X"', "default_artikel"),
        ("OriginType = 5", "OriginTyp = 5", "OriginTyp"),
        ('Rad = ["Rad", "Row"]', 'Radnr = ["Rad", "Row"]', "Radnr"),
    ],
)
def test_profile_with_an_unknown_key_is_an_error_naming_the_file(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    path = _profile_with(tmp_path, old, new)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert key in str(caught.value)


def test_profile_that_is_not_toml_or_missing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="missing.toml"):
        load_profile(tmp_path / "missing.toml")


def test_profile_labels_drive_the_mapping(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    profile = load_profile(
        _profile_with(tmp_path, 'CustomerNr = ["Kundnr",', 'CustomerNr = ["Kundkod", "Kundnr",')
    )
    header = {**HEADER, "A1": "Kundkod"}
    report = validate_files([make_workbook({"Offert": sheet([PRODUCT], header=header)})], profile)
    assert body(report)["CustomerNr"] == "1001"
