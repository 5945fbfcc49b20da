"""A real HTTP server for REST tests: Frappe's WSGI app on a loopback port, in a thread of the test
process. The thread has its own frappe.local and database connection, so it sees only committed data."""

import threading

import frappe
import requests
from werkzeug.serving import make_server


class LiveServer:
	def __init__(self, site: str | None = None):
		self.site = site or frappe.local.site

	def __enter__(self) -> "LiveServer":
		import frappe.app

		self.server = make_server("127.0.0.1", 0, frappe.app.application, threaded=True)
		self.url = f"http://127.0.0.1:{self.server.server_port}"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
		self.thread.start()
		return self

	def __exit__(self, *exc) -> None:
		self.server.shutdown()
		self.thread.join(timeout=10)

	def session(self, user: str, password: str) -> requests.Session:
		"""A logged-in HTTP session for `user`."""
		http = requests.Session()
		http.headers["X-Frappe-Site-Name"] = self.site
		response = http.post(f"{self.url}/api/method/login", json={"usr": user, "pwd": password}, timeout=30)
		response.raise_for_status()
		return http
