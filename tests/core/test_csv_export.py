"""The one CSV writer: every text cell that would start a spreadsheet formula is made inert."""

import csv
import io

import pytest

from forum.csv_export import inert, to_csv


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(cell):
    assert inert(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Geneva", "", 42, -3, None])
def test_other_cells_are_kept(cell):
    assert inert(cell) == cell


def test_header_and_rows():
    text = to_csv(["a", "b"], [["=HYPERLINK(1)", 2]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["'=HYPERLINK(1)", "2"]]
