"""Administration and security (A3, A7): the cap on users online under parallel logins, registered
addresses (Frappe's User.restrict_ip), approved browsers, who is online and ending a session.

Everything goes through real HTTP logins against a live server thread, so the data is committed and
removed again afterwards.
"""

import threading

import frappe
from frappe.utils.password import update_password

from ent_crm.admin import api as admin_api
from ent_crm.admin import sessions as sessions_cap
from ent_crm.admin.devices import COOKIE
from ent_crm.core.roles import MANAGER, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_user
from tests.support.server import LiveServer

PASSWORD = "Ecrm-Test-Pass-7!"


class LiveLoginTestCase(EntCRMTestCase):
	"""Users with a password, committed for the server thread; removed with their sessions and logs."""

	def setUp(self):
		super().setUp()
		self.users = []
		self.settings = {
			f: frappe.db.get_single_value("ECRM Settings", f)
			for f in ("office_networks", "max_concurrent_sessions", "online_idle_minutes")
		}
		frappe.db.set_single_value("ECRM Settings", {"office_networks": "", "max_concurrent_sessions": 0})
		frappe.db.commit()  # nosemgrep: the server thread reads committed settings

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		if self.users:
			frappe.db.delete("Sessions", {"user": ("in", self.users)})
			frappe.db.delete("Activity Log", {"user": ("in", self.users)})
			devices = frappe.get_all("ECRM Device", {"user": ("in", self.users)}, pluck="name")
			frappe.db.delete(
				"Notification Log", {"document_type": "ECRM Device", "document_name": ("in", devices or [""])}
			)
			frappe.db.delete("ECRM Device", {"user": ("in", self.users)})
			for user in self.users:
				frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.set_single_value("ECRM Settings", self.settings)
		frappe.db.commit()  # nosemgrep: remove what the test committed
		super().tearDown()

	def user(self, roles=(), profile=SALESPERSON) -> str:
		user = make_user(profile=profile, roles=roles)
		update_password(user, PASSWORD)
		self.users.append(user)
		frappe.db.commit()  # nosemgrep: the server thread only sees committed users
		return user

	@staticmethod
	def login(server, user, headers=None, cookies=None):
		import requests

		http = requests.Session()
		http.headers["X-Frappe-Site-Name"] = server.site
		http.headers.update(headers or {})
		for key, value in (cookies or {}).items():
			http.cookies.set(key, value)
		response = http.post(
			f"{server.url}/api/method/login", json={"usr": user, "pwd": PASSWORD}, timeout=60
		)
		return http, response

	def refused_logins(self, user) -> list[dict]:
		return frappe.get_all(
			"Activity Log",
			filters={"user": user, "operation": "Login", "status": "Failed"},
			fields=["subject", "ip_address"],
		)


class TestSessionCap(LiveLoginTestCase):
	def test_cap_holds_under_twenty_parallel_logins(self):
		people = [self.user() for _ in range(20)]
		already = len(sessions_cap.online_users())
		cap = already + 5
		frappe.db.set_single_value("ECRM Settings", "max_concurrent_sessions", cap)
		frappe.db.commit()  # nosemgrep: the server threads read the committed cap and users

		results = {}
		start = threading.Barrier(len(people))
		with LiveServer() as server:

			def attempt(user):
				start.wait()
				_http, response = self.login(server, user)
				results[user] = response

			threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
			for t in threads:
				t.start()
			for t in threads:
				t.join(timeout=180)

		self.assertEqual(len(results), 20)
		admitted = [u for u, r in results.items() if r.status_code == 200]
		refused = [u for u, r in results.items() if r.status_code != 200]
		self.assertEqual(len(admitted), 5, {u: r.status_code for u, r in results.items()})
		self.assertEqual(len(refused), 15)
		for user in refused:
			self.assertEqual(results[user].status_code, 401)
			self.assertIn(f"allows {cap} users online", results[user].text)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(len(sessions_cap.online_users()), cap)
		in_table = frappe.db.sql_list("select user from `tabSessions` where user in %s", (tuple(people),))
		self.assertEqual(sorted(in_table), sorted(admitted))
		for user in refused:
			logged = self.refused_logins(user)
			self.assertEqual(len(logged), 1)
			self.assertIn(str(cap), logged[0].subject)
			self.assertEqual(logged[0].ip_address, "127.0.0.1")

	def test_someone_already_online_may_open_a_second_browser(self):
		first, second = self.user(), self.user()
		with LiveServer() as server:
			self.assertEqual(self.login(server, first)[1].status_code, 200)
			frappe.db.rollback()
			frappe.db.set_single_value(
				"ECRM Settings", "max_concurrent_sessions", len(sessions_cap.online_users())
			)
			frappe.db.commit()  # nosemgrep: the server reads the committed cap
			self.assertEqual(self.login(server, first)[1].status_code, 200)  # the same person again
			response = self.login(server, second)[1]
			self.assertEqual(response.status_code, 401)
			self.assertIn("users online", response.text)

	def test_no_cap_no_refusal(self):
		user = self.user()
		with LiveServer() as server:
			self.assertEqual(self.login(server, user)[1].status_code, 200)


class TestRegisteredAddresses(LiveLoginTestCase):
	def test_frappe_refuses_an_unregistered_address_and_we_log_it(self):
		user = self.user()
		frappe.db.set_value("User", user, "restrict_ip", "10.20.30.40, 192.168.7.")
		frappe.db.commit()  # nosemgrep: for the server thread

		# Frappe's own check, without the CRM's hook
		from frappe.auth import validate_ip_address

		frappe.local.request_ip = "198.51.100.7"
		try:
			with self.assertRaises(frappe.AuthenticationError):
				validate_ip_address(user)
			frappe.local.request_ip = "192.168.7.15"
			validate_ip_address(user)
		finally:
			frappe.local.request_ip = None

		with LiveServer() as server:
			refused = self.login(server, user)[1]  # from 127.0.0.1
			self.assertEqual(refused.status_code, 401)
			self.assertIn("registered addresses", refused.text)
			self.assertEqual(
				self.login(server, user, headers={"X-Forwarded-For": "10.20.30.40"})[1].status_code, 200
			)
		frappe.db.rollback()
		logged = self.refused_logins(user)
		self.assertEqual(len(logged), 1)
		self.assertIn("127.0.0.1", logged[0].subject)
		self.assertEqual(logged[0].ip_address, "127.0.0.1")

	def test_a_login_from_outside_the_office_is_refused_and_logged(self):
		user = self.user()
		frappe.db.set_single_value("ECRM Settings", "office_networks", "192.168.10.0/24")
		frappe.db.commit()  # nosemgrep: for the server thread
		with LiveServer() as server:
			refused = self.login(server, user, headers={"X-Forwarded-For": "198.51.100.9"})[1]
			self.assertEqual(refused.status_code, 401)
			self.assertIn("office network", refused.text)
			inside = self.login(server, user, headers={"X-Forwarded-For": "192.168.10.25"})[1]
			self.assertEqual(inside.status_code, 200)
		frappe.db.rollback()
		logged = self.refused_logins(user)
		self.assertEqual([r.ip_address for r in logged], ["198.51.100.9"])
		self.assertIn("office network", logged[0].subject)


class TestApprovedBrowsers(LiveLoginTestCase):
	def test_a_bound_user_logs_in_only_from_an_approved_browser(self):
		user = self.user()
		frappe.db.set_value("User", user, "ecrm_device_binding", 1)
		frappe.db.commit()  # nosemgrep: for the server thread
		with LiveServer() as server:
			first = self.login(server, user, headers={"User-Agent": "Office PC browser"})[1]
			self.assertEqual(first.status_code, 401)
			self.assertIn("not yet approved", first.text)
			token = first.cookies.get(COOKIE)
			self.assertTrue(token and len(token) >= 32)
			frappe.db.rollback()
			devices = frappe.get_all(
				"ECRM Device", {"user": user}, ["name", "status", "first_ip", "user_agent", "device_hash"]
			)
			self.assertEqual(len(devices), 1)
			self.assertEqual((devices[0].status, devices[0].first_ip), ("Pending Approval", "127.0.0.1"))
			self.assertEqual(devices[0].user_agent, "Office PC browser")
			self.assertNotEqual(devices[0].device_hash, token)  # only a fingerprint is stored
			self.assertTrue(
				frappe.db.exists(
					"Notification Log", {"for_user": "Administrator", "document_name": devices[0].name}
				)
			)

			again = self.login(server, user, cookies={COOKIE: token})[1]
			self.assertEqual(again.status_code, 401)
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.count("ECRM Device", {"user": user}), 1
			)  # the same request, not a new one

			manager = make_user(roles=[MANAGER])
			self.users.append(manager)
			with self.set_user(manager):
				device = frappe.get_doc("ECRM Device", devices[0].name)
				device.status = "Approved"
				device.device_label = "Front desk"
				device.save()
			self.assertEqual(device.approved_by, manager)
			frappe.db.commit()  # nosemgrep: for the server thread

			self.assertEqual(self.login(server, user, cookies={COOKIE: token})[1].status_code, 200)
			elsewhere = self.login(server, user)[1]  # another browser: no cookie
			self.assertEqual(elsewhere.status_code, 401)
			forged = self.login(server, user, cookies={COOKIE: devices[0].device_hash})[1]
			self.assertEqual(forged.status_code, 401)
		frappe.db.rollback()
		# the other browser and the forged cookie each filed a request of their own
		self.assertEqual(frappe.db.count("ECRM Device", {"user": user, "status": "Pending Approval"}), 2)
		self.assertEqual(frappe.db.count("ECRM Device", {"user": user}), 3)
		self.assertGreaterEqual(len(self.refused_logins(user)), 3)

	def test_a_rejected_browser_is_told_so(self):
		user = self.user()
		frappe.db.set_value("User", user, "ecrm_device_binding", 1)
		frappe.db.commit()  # nosemgrep: for the server thread
		with LiveServer() as server:
			token = self.login(server, user)[1].cookies.get(COOKIE)
			frappe.db.rollback()
			frappe.db.set_value("ECRM Device", {"user": user}, "status", "Rejected")
			frappe.db.commit()  # nosemgrep: for the server thread
			response = self.login(server, user, cookies={COOKIE: token})[1]
		self.assertEqual(response.status_code, 401)
		self.assertIn("rejected", response.text)

	def test_unbound_users_are_not_asked(self):
		user = self.user()
		with LiveServer() as server:
			self.assertEqual(self.login(server, user)[1].status_code, 200)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("ECRM Device", {"user": user}))


class TestOnlineUsers(LiveLoginTestCase):
	def test_admin_sees_who_is_online_and_ends_a_session(self):
		user = self.user()
		with LiveServer() as server:
			http, response = self.login(server, user, headers={"X-Forwarded-For": "192.0.2.44"})
			self.assertEqual(response.status_code, 200)
			frappe.db.rollback()
			online = admin_api.get_online_users()
			mine = [s for s in online["sessions"] if s["user"] == user]
			self.assertEqual(len(mine), 1)
			self.assertEqual(mine[0]["ip_address"], "192.0.2.44")
			self.assertTrue(mine[0]["login_time"])
			self.assertNotIn("sid", mine[0])
			self.assertGreaterEqual(online["users_online"], 1)

			admin_api.end_session(mine[0]["key"])
			frappe.db.commit()  # nosemgrep: the server sees the ended session
			who = http.get(f"{server.url}/api/method/frappe.auth.get_logged_user", timeout=30)
			self.assertNotEqual(who.status_code, 200)
		self.assertFalse(frappe.db.sql("select sid from `tabSessions` where user = %s", user))
		self.assertTrue(frappe.db.exists("Activity Log", {"user": user, "operation": "Logout"}))

	def test_safe_logout_ends_the_session_and_is_logged(self):
		"""A6: Frappe's logout removes the session on the server, not only the cookie, and logs it."""
		user = self.user()
		with LiveServer() as server:
			http, response = self.login(server, user)
			self.assertEqual(response.status_code, 200)
			sid = http.cookies.get("sid")
			self.assertEqual(http.get(f"{server.url}/api/method/logout", timeout=30).status_code, 200)
			replay = self.login(server, user)[0]  # a fresh client replaying the old session cookie
			replay.cookies.clear()
			replay.cookies.set("sid", sid)
			who = replay.get(f"{server.url}/api/method/frappe.auth.get_logged_user", timeout=30)
			self.assertNotEqual(who.json().get("message"), user)
		frappe.db.rollback()
		self.assertFalse(frappe.db.sql("select sid from `tabSessions` where sid = %s", sid))
		self.assertTrue(frappe.db.exists("Activity Log", {"user": user, "operation": "Logout"}))

	def test_a_crm_manager_cannot_end_a_system_managers_session(self):
		admin = self.user(roles=["System Manager"], profile=None)
		manager = self.user(roles=[MANAGER], profile=None)
		with LiveServer() as server:
			self.assertEqual(self.login(server, admin)[1].status_code, 200)
		frappe.db.rollback()
		with self.set_user(manager):
			keys = [s["key"] for s in admin_api.get_online_users()["sessions"] if s["user"] == admin]
			self.assertEqual(len(keys), 1)
			with self.assertRaises(frappe.PermissionError):
				admin_api.end_session(keys[0])
		self.assertTrue(frappe.db.sql("select sid from `tabSessions` where user = %s", admin))

	def test_only_admins_see_online_users(self):
		user = make_user(profile=SALESPERSON)
		with self.set_user(user), self.assertRaises(frappe.PermissionError):
			admin_api.get_online_users()
