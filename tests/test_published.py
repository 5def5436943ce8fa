"""The report's own URL and publication date (recognise/dates.py -> Report.provenance).

The expected values of the real files were written by reading each file: the archive
header's 发布时间 and 原文链接 lines of the .txt extractions, the pages' ``<meta name="PubDate">``
and ``<meta name="Url">``, the ``时间：`` line under the title that the PDF and DOCX saved from
a page print, and the closing date after each signature.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest

from gongkai import provenance
from gongkai.model import Report, ReportProvenance
from gongkai.parse import parse_bytes, parse_file
from gongkai.read import read_bytes
from gongkai.read.html import metadata_dates, metadata_url
from gongkai.recognise import split_run_on_parts
from gongkai.recognise.dates import parse_date, published
from gongkai.recognise.parts import find_parts
from gongkai.recognise.prose import read_prose
from gongkai.wording import FALLBACK_WARNING, warning

from conftest import FIXTURES

PT = "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/"

# file -> (url, published, how) as the report itself gives them.
REAL = {
    "real2/h05.txt": (PT + "ptzhsyqgaj/zfxxgknb/202501/t20250120_96806.htm", "2025-01-20", "page-text"),
    "real2/h08.txt": (PT + "ptzhsyqshs/zfxxgknb/202301/t20230116_80627.htm", "2023-01-16", "page-text"),
    "real2/h11.txt": (PT + "ptzhsyqshs/zfxxgknb/202601/t20260123_104794.htm", "2026-01-23", "page-text"),
    "real2/h12.txt": (PT + "ptzhsyqjtj/zfxxgknb/202601/t20260131_104920.htm", "2026-01-22", "page-text"),
    "real2/h15.txt": (PT + "ptzhsyqzrz/zfxxgknb/202501/t20250127_97050.htm", "2025-01-27", "page-text"),
    "real2/h20.txt": (PT + "ptzhsyqgwh/zfxxgknb/202401/t20240131_86761.htm", "2024-01-31", "page-text"),
    "real2/h11.html": (PT + "ptzhsyqshs/zfxxgknb/202601/t20260123_104794.htm", "2026-01-23", "metadata"),
    "real2/h15.html": (PT + "ptzhsyqzrz/zfxxgknb/202501/t20250127_97050.htm", "2025-01-27", "metadata"),
    # printed to PDF / converted to DOCX: the chrome's 时间： line stays, the URL does not
    "real2/h11-chrome.pdf": (None, "2026-01-23", "page-text"),
    "real2/h15-chrome.pdf": (None, "2025-01-27", "page-text"),
    "real2/h11-lo.docx": (None, "2026-01-23", "page-text"),
    "html/report-2021-gbk.html": (None, "2024-01-19", "page-text"),
    # only a signature: its date, said as the signing date
    "seeds/003_48ff64ec84e94560.txt": (None, "2024-01-12", "signature"),
    # no date anywhere: nothing, never a guess from the prose's dates
    "pdf/hongze-2024.pdf": None,
    "docx/report-2021-merged.docx": None,
    "seeds/000_9df66e4b50998407.txt": None,
}

# file -> the closing date after the signature, as printed (None: the report has no signature date)
SIGNED = {
    "real2/h05.txt": None,  # ends "…无收取信息处理费情况。"
    "real2/h08.txt": "2023年1月9日",  # "…平潭综合实验区社会事业局 2023年1月9日 附件下载", run together
    "real2/h11.txt": "2026年1月23日",
    "real2/h12.txt": "2026年1月22日",
    "real2/h15.txt": "2025年1月27日",  # "…生态环境局2025年1月27日", no space
    "real2/h20.txt": None,
    "real2/h11.html": "2026年1月23日",
    "real2/h15.html": "2025年1月27日",
    "real2/h11-chrome.pdf": "2026年1月23日",
    "real2/h11-lo.docx": "2026年1月23日",
    "html/report-2021-gbk.html": "2024年1月18日",
    "seeds/003_48ff64ec84e94560.txt": "2024年1月12日",
    "pdf/hongze-2024.pdf": None,
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_file_gives_its_url_and_date(name: str) -> None:
    report = parse_file(FIXTURES / name)
    expected = REAL[name]
    got = report.provenance
    assert (None if got is None else (got.url, got.published, got.how)) == expected
    assert not [w for w in report.warnings if w.startswith("publication date")]


def _signed(path: Path) -> str | None:
    doc = read_bytes(path.read_bytes(), path)
    report = parse_file(path)
    blocks = split_run_on_parts(doc.blocks)
    return read_prose(blocks, find_parts(blocks), report.agency)[1]


@pytest.mark.parametrize("name", sorted(SIGNED))
def test_the_signature_date_is_kept_while_the_signature_is_dropped(name: str) -> None:
    assert _signed(FIXTURES / name) == SIGNED[name]
    if SIGNED[name]:
        assert SIGNED[name] not in parse_file(FIXTURES / name).sections.other


# ---------------------------------------------------------------- dates as printed


@pytest.mark.parametrize(("text", "date"), [
    ("2025年1月20日", dt.date(2025, 1, 20)),
    ("2025 年 1 月 20 日", dt.date(2025, 1, 20)),
    ("２０２５年１月２０日", dt.date(2025, 1, 20)),
    ("二〇二五年一月二十日", dt.date(2025, 1, 20)),
    ("二○二四年十二月三十一日", dt.date(2024, 12, 31)),
    ("二〇二五年十月九日", dt.date(2025, 10, 9)),
    ("二〇二五年二月十日", dt.date(2025, 2, 10)),
    ("2026-01-23 15:13", dt.date(2026, 1, 23)),
    ("2025-01-27T22:43:00+08:00", dt.date(2025, 1, 27)),
    ("2025/1/5", dt.date(2025, 1, 5)),
    ("2025.01.05", dt.date(2025, 1, 5)),
    ("2025年2月30日", None),  # no such day
    ("2025-13-01", None),
    ("二〇二五年二月三十日", None),
    ("2025年1月", None),  # no day: not a date
    ("二〇二五年十十月一日", None),
])
def test_dates_in_every_printed_form(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


# ---------------------------------------------------------------- HTML metadata


def _head(meta: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{meta}</head><body><p>x</p></body></html>")


@pytest.mark.parametrize(("meta", "dates"), [
    ('<meta name="PubDate" content="2025-01-20 09:30"/>', (('<meta name="pubdate">', "2025-01-20 09:30"),)),
    ('<meta property="article:published_time" content="2025-01-20T09:30:00+08:00">',
     (('<meta name="article:published_time">', "2025-01-20T09:30:00+08:00"),)),
    ('<meta name="ArticleTitle" content="某局2024年政府信息公开工作年度报告"><meta name="ContentSource" content="某局">'
     '<meta name="PubDate" content="2025-01-20">', (('<meta name="pubdate">', "2025-01-20"),)),
    ('<meta name="publishdate" content="2025-01-21"><meta name="PubDate" content="2025-01-20">',
     (('<meta name="pubdate">', "2025-01-20"), ('<meta name="publishdate">', "2025-01-21"))),
    ('<meta name="Description" content="2025-01-20">', ()),  # not a date tag
])
def test_dates_the_cms_metadata_declares(meta: str, dates: tuple[tuple[str, str], ...]) -> None:
    assert metadata_dates(_head(meta)) == dates


@pytest.mark.parametrize(("meta", "url"), [
    ('<link rel="canonical" href="https://x.gov.cn/a.html"><meta property="og:url" content="https://x.gov.cn/b.html">',
     "https://x.gov.cn/a.html"),
    ('<meta property="og:url" content="https://x.gov.cn/b.html"><meta name="Url" content="https://x.gov.cn/c.html">',
     "https://x.gov.cn/b.html"),
    ('<meta name="Url" content="http://x.gov.cn/c.html">', "http://x.gov.cn/c.html"),
    ('<link rel="canonical" href="javascript:alert(1)"><meta name="Url" content="/a.html">', ""),
    ('<link rel="canonical" href="/relative.html">', ""),
])
def test_only_an_http_url_of_the_page_is_its_address(meta: str, url: str) -> None:
    assert metadata_url(_head(meta)) == url


# ---------------------------------------------------------------- choosing among them


@pytest.mark.parametrize(("intro", "date"), [
    (["某局2024年政府信息公开工作年度报告", "发布时间：2025-01-20 09:30"], "2025-01-20"),
    (["发布日期：2025年1月20日 来源：某局"], "2025-01-20"),
    (["来源：某局 日期：2025-01-20 浏览次数："], "2025-01-20"),
    (["发布时间: 2025-01-20 17:39"], "2025-01-20"),
    (["成文日期：二〇二五年一月二十日"], "2025-01-20"),
    (["本报告所列数据统计期限为2024年1月1日至12月31日，2025年1月20日发布"], None),  # no label: prose
    (["统计时间：2024年1月1日至2024年12月31日"], None),  # the period, not a date of the page
    (["统计时间：2024年12月31日"], None),
    (["时间：2024年1月1日至12月31日", "发布时间：2025-01-20"], "2025-01-20"),  # a range is no date
    (["办公时间：2025-01-02", "受理日期：2025-01-03", "日期：2025-01-20"], "2025-01-20"),
])
def test_a_labelled_date_near_the_title(intro: list[str], date: str | None) -> None:
    got = published(None, (), intro, None, 2024, [])
    assert (got.published if got else None) == date
    if got:
        assert got.how == "page-text"


def test_precedence_metadata_then_page_text_then_signature() -> None:
    intro = ["时间：2025-01-22"]
    meta = (('<meta name="pubdate">', "2025-01-21 10:00"),)
    assert published(None, meta, intro, "2025年1月20日", 2024, []) == \
        published(None, meta, [], None, 2024, [])
    both = published(None, meta, intro, "2025年1月20日", 2024, [])
    assert both is not None and (both.published, both.how) == ("2025-01-21", "metadata")
    text = published(None, (), intro, "2025年1月20日", 2024, [])
    assert text is not None and (text.published, text.how) == ("2025-01-22", "page-text")
    signed = published(None, (), [], "二〇二五年一月二十日", 2024, [])
    assert signed is not None and (signed.published, signed.how) == ("2025-01-20", "signature")


@pytest.mark.parametrize(("date", "reason"), [
    ("2025年2月30日", "is not a calendar date"),
    ("2024-06-01", "implausible for a report on 2024"),  # before the year it reports on ended
    ("2030-01-20", "implausible for a report on 2024"),  # years after
])
def test_an_impossible_or_implausible_date_is_passed_over_with_a_warning(date: str, reason: str) -> None:
    warnings: list[str] = []
    got = published(None, (('<meta name="pubdate">', date),), [], "2025年1月20日", 2024, warnings)
    assert got is not None and (got.published, got.how) == ("2025-01-20", "signature")
    assert len(warnings) == 1 and reason in warnings[0] and date in warnings[0]
    said = warning(warnings[0])
    assert said != FALLBACK_WARNING and date in said


def test_nothing_said_is_none() -> None:
    assert published(None, (), ["首页 > 政务公开"], None, 2024, []) is None
    url_only = published("https://x.gov.cn/a.html", (), [], None, 2024, [])
    assert url_only is not None and (url_only.url, url_only.published, url_only.how) == \
        ("https://x.gov.cn/a.html", None, "")
    archive = published(None, (), ["原文链接: https://x.gov.cn/b.htm"], None, 2024, [])
    assert archive is not None and archive.url == "https://x.gov.cn/b.htm"


# ---------------------------------------------------------------- whole reports, every format of signature

BASE = FIXTURES / "reports" / "hongze-2023-layout.txt"  # a real report with no signature date


def _with_ending(ending: str) -> Report:
    text = BASE.read_text(encoding="utf-8").rstrip("\n") + "\n" + ending
    return parse_bytes(text.encode("utf-8"), Path("x.txt"))


@pytest.mark.parametrize(("ending", "date"), [
    ("\n淮安市洪泽区人民政府\n2024年1月20日\n", "2024-01-20"),
    ("\n淮安市洪泽区人民政府\n2024 年 1 月 20 日\n", "2024-01-20"),
    ("\n淮安市洪泽区人民政府\n二〇二四年一月二十日\n", "2024-01-20"),
    ("\n淮安市洪泽区人民政府\n二○二四年一月三十一日\n", "2024-01-31"),
])
def test_the_signature_date_of_a_whole_report(ending: str, date: str) -> None:
    report = _with_ending(ending)
    assert report.provenance == ReportProvenance(None, date, "signature")
    assert report.sections.other == "本年度未收取信息处理费。"  # the signature is not prose


@pytest.mark.parametrize("ending", [
    "\n淮安市洪泽区人民政府\n2024年2月30日\n",  # no such day
    "\n淮安市洪泽区人民政府\n二〇二四年二月三十日\n",
])
def test_an_impossible_signature_date_is_ignored_with_a_warning(ending: str) -> None:
    report = _with_ending(ending)
    assert report.provenance is None
    assert any("is not a calendar date" in w for w in report.warnings)
    assert report.sections.other == "本年度未收取信息处理费。"


@pytest.mark.parametrize("ending", [
    "2024年3月5日，我区召开政务公开工作推进会。\n",  # a date in a sentence of part 六
    "本报告于2024年1月20日经区政府常务会议审议。\n",
])
def test_a_date_in_the_prose_is_not_the_signature(ending: str) -> None:
    report = _with_ending(ending)
    assert report.provenance is None
    assert ending.strip() in report.sections.other


def test_a_page_with_its_own_metadata_beats_its_signature_and_a_bad_one_is_passed_over() -> None:
    page = (FIXTURES / "real2" / "h15.html").read_bytes()
    good = parse_bytes(page, Path("h15.html"))
    assert good.provenance is not None and good.provenance.how == "metadata"
    wrong = page.replace(b'name="PubDate" content="2025-01-27 22:43"', b'name="PubDate" content="2025-02-30 22:43"')
    assert wrong != page
    bad = parse_bytes(wrong, Path("h15.html"))
    # the next in line: the 时间： line under the title
    assert bad.provenance is not None and (bad.provenance.published, bad.provenance.how) == ("2025-01-27", "page-text")
    assert any(w.startswith("publication date '2025-02-30 22:43'") for w in bad.warnings)


# ---------------------------------------------------------------- the site's provenance


def test_a_sidecar_and_agencies_yml_come_before_the_reports_own(tmp_path: Path) -> None:
    report = parse_file(FIXTURES / "seeds" / "003_48ff64ec84e94560.txt")
    own = provenance.resolve(report, tmp_path / "x.txt", None)
    assert (own.published, own.published_how, own.url) == ("2024-01-12", "signature", None)
    assert "落款" in provenance.label(own.published_how)
    configured = provenance.Provenance("https://a.gov.cn/1.html", "2024-01-31", "agencies.yml", "agencies.yml")
    assert provenance.resolve(report, tmp_path / "x.txt", configured) == configured
    (tmp_path / "x.txt.yml").write_text("published: 2024-01-30\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    side = provenance.resolve(report, tmp_path / "x.txt", configured)
    assert (side.published, side.published_how, side.url, side.how) == \
        ("2024-01-30", "sidecar", "https://a.gov.cn/1.html", "agencies.yml")


def test_the_page_url_is_said_as_the_pages_own() -> None:
    own = provenance.resolve(parse_file(FIXTURES / "real2" / "h15.html"), Path("/nonexistent/h15.html"), None)
    assert (own.how, own.published_how) == ("canonical", "metadata")
    assert provenance.label(own.how) and provenance.label("page-text")


def test_provenance_survives_the_json_round_trip(schema_validator) -> None:
    for name in ("real2/h15.html", "seeds/003_48ff64ec84e94560.txt", "pdf/hongze-2024.pdf"):
        report = parse_file(FIXTURES / name)
        d = report.to_dict()
        schema_validator.validate(d)
        assert Report.from_dict(d) == report
        assert ("provenance" in d) == (report.provenance is not None)


def test_the_parse_cache_key_covers_the_date_reading() -> None:
    # a cached report parsed before this change has no provenance: the key must change with it
    from gongkai import cache
    from gongkai.recognise import dates
    from gongkai.read import document, html

    root = Path(cache.__file__).parent
    for module in (dates, html, document):
        rel = Path(module.__file__ or "").relative_to(root)
        assert rel.parts[0] in cache._PARSER_SOURCES, rel
    assert {"model.py", "schema", "parse.py"} <= set(cache._PARSER_SOURCES)
