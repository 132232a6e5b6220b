"""A letter's PDF carries its provenance: `verify` and `served` take the PDF (LibreOffice)."""

from __future__ import annotations

from conftest import LETTER_DATE, example_case


def test_verify_and_served_take_the_letters_pdf(cli, write_case, tmp_path, monkeypatch):
    monkeypatch.delenv("EHE_LETTERS_REGISTER", raising=False)
    register = f"sqlite:///{tmp_path / 'register.sqlite'}"
    data = example_case("s437-notice")
    case = write_case(data)
    out = tmp_path / "out"
    made = cli(
        "render",
        "s437-notice",
        case,
        "-o",
        out,
        "--date",
        LETTER_DATE,
        "--pdf",
        "--register",
        register,
    )
    assert made.code == 0, made.err
    pdf = out / "WM-EHE-2023-0190_s437-notice_p2.pdf"
    verified = cli("verify", pdf, case)
    assert verified.code == 0, verified.out + verified.err
    served = cli(
        "served",
        pdf,
        "--method",
        "hand",
        "--sent",
        LETTER_DATE,
        "--time",
        "10:15",
        "--register",
        register,
    )
    assert served.code == 0, served.err
    assert "(case.parents[1]) served hand on 2026-12-01: deemed served 2026-12-01" in served.out
    # the case now gives another letter: the PDF's text no longer matches it
    data["case"]["inputs"]["s437"]["reasons"][0] = "We wrote on 12 May 2026 and had no reply."
    changed = write_case(data, "changed.yaml")
    result = cli("verify", pdf, changed)
    assert result.code == 1
    assert "VER001" in result.out and "from paragraph" in result.out
    assert "12 May" not in result.out  # no content is shown
