"""Every user-facing string has its Chinese translation, and the translation files are well-formed."""

import csv
import os
import subprocess
import sys
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "apps" / "ent_crm" / "translations"
COVERAGE_TOOL = Path(
	os.environ.get("ZH_COVERAGE_TOOL") or REPO.parent / "shared" / "tools" / "zh_coverage.py"
)


def read(lang):
	with (TRANSLATIONS / f"{lang}.csv").open(newline="", encoding="utf-8") as f:
		return list(csv.reader(f))


class TestTranslations(unittest.TestCase):
	def test_csv_rows_are_complete_and_unique(self):
		for lang in ("zh", "en"):
			rows = read(lang)
			self.assertGreater(len(rows), 10)
			sources = [r[0] for r in rows]
			self.assertEqual(len(sources), len(set(sources)), lang)
			for row in rows:
				self.assertGreaterEqual(len(row), 2, row)
				self.assertTrue(row[0].strip() and row[1].strip(), row)

	def test_placeholders_survive_translation(self):
		for source, translated, *_ in read("zh"):
			for n in range(4):
				self.assertEqual(source.count(f"{{{n}}}"), translated.count(f"{{{n}}}"), source)

	def test_chinese_translations_are_chinese(self):
		# CJK ideographs, or CJK punctuation for pure patterns such as "{0}、{1}"
		for source, translated, *_ in read("zh"):
			self.assertTrue(
				any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" for ch in translated), source
			)

	def test_zh_coverage_is_at_least_99_percent(self):
		if not COVERAGE_TOOL.exists():
			self.skipTest(f"{COVERAGE_TOOL} is not beside the repository")
		out = subprocess.run(
			[sys.executable, str(COVERAGE_TOOL), str(REPO / "apps" / "ent_crm"), "--list"],
			capture_output=True,
			text=True,
			check=True,
		).stdout
		done, total = out.split("zh coverage: ")[1].split(" ")[0].split("/")
		self.assertGreaterEqual(int(done) / int(total), 0.99, out)


# Frappe's own strings a CRM user meets on every screen, whose zh Frappe leaves empty or gets wrong
# ("{0} m" as "{0}米", metres); the app ships its correction (apps' translations override Frappe's).
FRAPPE_DAILY = {
	"{0} m": "分钟",
	"{0} h": "小时",
	"{0} d": "天",
	"Search or type a command ({0})": "搜索",
	"List View": "列表",
	"Filters": "筛选",
	"Log out": "退出",
	"My Settings": "设置",
}


class TestFrappeStringsOnDailyScreens(unittest.TestCase):
	def test_the_app_corrects_frappes_chinese_on_daily_screens(self):
		shipped = {row[0]: row[1] for row in read("zh") if len(row) == 2 or not row[2]}
		for source, expected in FRAPPE_DAILY.items():
			self.assertIn(expected, shipped.get(source, ""), source)
		self.assertNotIn("米", shipped["{0} m"])
