"""Browser test harness: a real bench web server on a free loopback port against the test site, and
Debian's chromium (headless) driven by Selenium through Debian's chromedriver.

	with BenchServer(site) as server, Browser(server.url, artifacts) as browser:
		browser.login("user@example.com", "secret")
		browser.open("/app/ecrm-workbench")
		browser.wait_css(".ecrm-wb-queue")
		browser.screenshot("01-workbench")

Screenshots go to $ENT_CRM_ARTIFACTS (default: artifacts/ in the repository, ignored by git).
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

CHROMIUM = os.environ.get("ENT_CRM_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ENT_CRM_CHROMEDRIVER", "/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90  # seconds for the server's first answer
WAIT = 30  # seconds for an element
# uncaught errors of Frappe's own code that js_errors() leaves out: frappe-charts' makeChartArea removes its old
# svg from a container the query report has already replaced (Frappe 15.55.1, a report re-run while its chart draws)
FRAPPE_OWN_ERRORS = ("Failed to execute 'removeChild' on 'Node': The node to be removed is not a child",)


def artifacts_dir() -> Path:
	path = Path(os.environ.get("ENT_CRM_ARTIFACTS") or REPO / "artifacts") / "browser"
	path.mkdir(parents=True, exist_ok=True)
	return path


def missing_tools() -> list[str]:
	missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
	try:
		import selenium  # noqa: F401
	except ImportError:
		missing.append("python package selenium")
	return missing


def complete_frappe_setup() -> None:
	"""A fresh site sends everyone but Administrator to Frappe's setup wizard: mark it done (committed,
	since the server is another process)."""
	import frappe

	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		frappe.db.set_single_value("System Settings", "setup_complete", 1)
		frappe.db.set_default("desktop:home_page", "workspace")
		frappe.db.commit()  # nosemgrep: the web server is another process


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class BenchServer:
	"""`bench serve` (Frappe's werkzeug server) for one site, started and stopped by the test."""

	def __init__(self, site: str, bench: str | None = None):
		self.site = site
		self.bench = Path(bench or os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
		self.process = None
		self.port = None

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.port}"

	def __enter__(self) -> "BenchServer":
		self.port = free_port()
		self.log_path = artifacts_dir() / f"bench-serve-{self.port}.log"
		self.log = open(self.log_path, "wb")
		# what `bench --site SITE serve --port PORT` runs, without the bench CLI (CI may not have it on PATH)
		self.process = subprocess.Popen(
			[
				str(self.bench / "env/bin/python"),
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				self.site,
				"serve",
				"--port",
				str(self.port),
				"--noreload",
			],
			cwd=self.bench / "sites",
			stdout=self.log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		deadline = time.monotonic() + START_TIMEOUT
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				raise RuntimeError(f"bench serve exited with {self.process.returncode}; see {self.log_path}")
			try:
				if requests.get(f"{self.url}/api/method/ping", timeout=5).status_code == 200:
					return self
			except requests.RequestException:
				pass
			time.sleep(0.5)
		self.__exit__()
		raise RuntimeError(f"bench serve did not answer within {START_TIMEOUT}s; see {self.log_path}")

	def __exit__(self, *exc) -> None:
		if self.process and self.process.poll() is None:
			os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the server and its children
			try:
				self.process.wait(timeout=15)
			except subprocess.TimeoutExpired:
				os.killpg(self.process.pid, signal.SIGKILL)
				self.process.wait(timeout=15)
		if getattr(self, "log", None):
			self.log.close()


class Browser:
	"""Headless chromium for one test; every screenshot is kept under artifacts/browser/."""

	def __init__(self, base_url: str, size=(1440, 900), language: str = "zh-CN"):
		self.base_url = base_url
		self.size = size
		self.language = language
		self.driver = None
		self.shots = []

	def __enter__(self) -> "Browser":
		from selenium import webdriver
		from selenium.webdriver.chrome.service import Service

		options = webdriver.ChromeOptions()
		options.binary_location = CHROMIUM
		for argument in (
			"--headless=new",
			"--no-sandbox",
			"--disable-dev-shm-usage",
			"--disable-gpu",
			f"--window-size={self.size[0]},{self.size[1]}",
			f"--lang={self.language}",
			"--hide-scrollbars",
		):
			options.add_argument(argument)
		self.profile = artifacts_dir() / f"profile-{os.getpid()}-{int(time.time() * 1000)}"
		options.add_argument(f"--user-data-dir={self.profile}")
		options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for js_errors()
		self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
		self.driver.set_page_load_timeout(120)
		return self

	def __exit__(self, exc_type, *exc) -> None:
		errors = []
		if self.driver:
			try:
				errors = self.js_errors()
			finally:
				self.driver.quit()
		shutil.rmtree(getattr(self, "profile", ""), ignore_errors=True)
		if errors and exc_type is None:
			# an uncaught script error on any page the test went through (a bundle that did not load, a
			# namespace a page or report script did not find) fails the test even when its own checks passed
			raise AssertionError("script errors in the browser console:\n" + "\n".join(errors))

	def js_errors(self) -> list[str]:
		"""The uncaught script errors the console logged since the last call (each call drains the log); the
		whole console goes to artifacts/browser/console.log."""
		entries = self.driver.get_log("browser")
		with open(artifacts_dir() / "console.log", "a", encoding="utf-8") as log:
			for e in entries:
				log.write(f"{e.get('level')} {e.get('source')} {e.get('message')}\n")
		return [
			e["message"]
			for e in entries
			if e.get("level") == "SEVERE"
			and e.get("source") == "javascript"
			and not any(known in e["message"] for known in FRAPPE_OWN_ERRORS)
		]

	# --- navigation ---

	def open(self, path: str) -> None:
		self.driver.get(self.base_url + path)

	def login(self, user: str, password: str) -> None:
		"""Log in through the login page, as a person would, and wait for the desk."""
		self.driver.delete_all_cookies()
		self.open("/login")
		self.wait_css("#login_email").send_keys(user)
		self.wait_css("#login_password").send_keys(password)
		self.wait_css(".btn-login").click()
		self.wait_until(lambda d: "/app" in d.current_url, "the desk after login")
		self.wait_js(
			"return !!(window.frappe && frappe.boot && frappe.session && frappe.session.user !== 'Guest')"
		)

	def logout(self) -> None:
		self.driver.delete_all_cookies()

	# --- waiting ---

	def wait_until(self, condition, what: str, timeout: float = WAIT):
		from selenium.common.exceptions import StaleElementReferenceException
		from selenium.webdriver.support.ui import WebDriverWait

		# the desk re-renders what a condition reads (a stale element): that is "not yet", look again
		return WebDriverWait(
			self.driver, timeout, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)
		).until(condition, message=f"waiting for {what}")

	def wait_css(self, css: str, visible: bool = True, timeout: float = WAIT):
		from selenium.webdriver.common.by import By
		from selenium.webdriver.support import expected_conditions as EC

		locator = (By.CSS_SELECTOR, css)
		condition = (
			EC.visibility_of_element_located(locator) if visible else EC.presence_of_element_located(locator)
		)
		return self.wait_until(condition, css, timeout)

	def wait_js(self, script: str, what: str | None = None, timeout: float = WAIT):
		return self.wait_until(lambda d: d.execute_script(script), what or script, timeout)

	def wait_text(self, css: str, text: str, timeout: float = WAIT):
		return self.wait_until(
			lambda d: any(text in e.text for e in d.find_elements("css selector", css)),
			f"{text!r} in {css}",
			timeout,
		)

	def wait_idle(self) -> None:
		"""Until no request of the desk is pending and no freeze overlay is up."""
		self.wait_js(
			"return !(window.frappe && frappe.dom && frappe.dom.freeze_count) && !document.querySelector('.freeze')",
			"the desk to be idle",
		)
		time.sleep(0.3)

	def click(self, css: str, timeout: float = WAIT) -> None:
		"""Click the element once it is visible, again if the page re-rendered it in between."""
		from selenium.common.exceptions import (
			ElementClickInterceptedException,
			StaleElementReferenceException,
		)

		def clicked(driver):
			try:
				element = self.wait_css(css, timeout=timeout)
				element.click()
				return True
			except (StaleElementReferenceException, ElementClickInterceptedException):
				return False

		self.wait_until(clicked, f"a click on {css}", timeout)

	def js(self, script: str, *args):
		return self.driver.execute_script(script, *args)

	def css(self, css: str):
		return self.driver.find_elements("css selector", css)

	def screenshot(self, name: str) -> Path:
		path = artifacts_dir() / f"{name}.png"
		self.driver.save_screenshot(str(path))
		self.shots.append(path)
		return path
