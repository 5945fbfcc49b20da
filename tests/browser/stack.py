"""A production-like stack for one site, started and stopped by a test (issue 12): Frappe's web server
with its static assets, the socket.io server (apps/frappe/socketio.js), a background worker and the
scheduler, each on a loopback port and in its own process group, plus a private redis-server.

	with RealtimeStack(site) as stack, Browser(stack.url) as browser:
		...

Isolation. The bench's Redis is shared by every site on the bench, and Frappe's worker reads its queue's
Redis from common_site_config only (`start_worker` calls `frappe.init_site()` without a site), so a worker
on the shared Redis would run other sites' jobs. Frappe reads the environment variable FRAPPE_REDIS_QUEUE
before any config file (frappe.get_site_config), and so does socketio.js (node_utils.get_conf): every process
of the stack gets FRAPPE_REDIS_QUEUE pointing at a private redis-server on a free loopback port. Jobs the
stack's web server and scheduler enqueue therefore go to that Redis only, the worker runs exactly those,
and realtime events (published on the queue's Redis) reach this stack's socket.io only. The cache stays on
the bench's Redis (its keys carry the site's name).

The desk finds socket.io at the site's `socketio_port` (frappe.boot.socketio_port) when the web server runs
as a development server (DEV_SERVER=1, which `bench start` sets too); in production nginx proxies
/socket.io on the web port instead. The stack writes `socketio_port` into the site's config and enables the
site's scheduler; on exit it puts both back as they were.

Scheduler. `bench schedule` enqueues for every site of the bench, so the stack runs this module as a
process instead (`python -m tests.browser.stack scheduler SITE`): every few seconds it calls
frappe.utils.scheduler.enqueue_events_for_site(SITE), the function `bench schedule` calls per site —
the same due-checks (Scheduled Job Type, scheduler enabled, site active), only for this site.

The processes run this checkout's Python (PYTHONPATH=<repo>/apps); the static assets are the bench's
(sites/assets/ent_crm links to the bench's copy of the app, which CI installs from this checkout).
Every process is stopped (SIGTERM to its group, then SIGKILL) on exit, also when starting failed.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import requests

from tests.browser.harness import REPO, START_TIMEOUT, artifacts_dir, free_port

SCHEDULER_TICK = 5  # seconds between two enqueue_events_for_site calls
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def missing_stack_tools(bench: Path) -> list[str]:
	missing = [p for p in (REDIS_SERVER, shutil.which("node") or "node") if not os.access(p, os.X_OK)]
	if not (bench / "apps/frappe/socketio.js").exists():
		missing.append(str(bench / "apps/frappe/socketio.js"))
	return missing


class RealtimeStack:
	def __init__(self, site: str, bench: str | None = None):
		self.site = site
		self.bench = Path(bench or os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
		self.processes = {}  # name -> Popen
		self.logs = {}  # name -> log path
		self.saved_config = None
		self.saved_scheduler = None
		self.web_port = self.socketio_port = self.redis_port = None

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.web_port}"

	@property
	def redis_url(self) -> str:
		return f"redis://127.0.0.1:{self.redis_port}"

	# --- lifecycle ---

	def __enter__(self) -> Self:
		try:
			self.start()
		except BaseException:
			self.stop()
			raise
		return self

	def __exit__(self, *exc) -> None:
		self.stop()

	def start(self) -> None:
		self.redis_port, self.web_port, self.socketio_port = free_port(), free_port(), free_port()
		self.spawn(
			"redis",
			[
				REDIS_SERVER,
				"--port",
				str(self.redis_port),
				"--bind",
				"127.0.0.1",
				"--save",
				"",
				"--appendonly",
				"no",
				"--daemonize",
				"no",
			],
			cwd="/tmp",
		)
		self.wait_for("redis", lambda: self.redis_ping())
		self.configure_site()
		self.spawn("socketio", ["node", str(self.bench / "apps/frappe/socketio.js")], cwd=self.bench)
		self.spawn("web", self.frappe("serve", "--port", str(self.web_port), "--noreload"))
		self.spawn("worker", self.frappe("worker", "--queue", "short,default,long"))
		self.spawn(
			"scheduler",
			[str(self.bench / "env/bin/python"), "-m", "tests.browser.stack", "scheduler", self.site],
			cwd=self.bench / "sites",
		)
		self.wait_for(
			"web", lambda: requests.get(f"{self.url}/api/method/ping", timeout=5).status_code == 200
		)
		self.wait_for("socketio", lambda: "Realtime service listening" in self.log("socketio"))
		self.wait_for(
			"worker", lambda: "Listening on" in self.log("worker") or "*** Listening" in self.log("worker")
		)

	def stop(self) -> None:
		for name in reversed(list(self.processes)):
			process = self.processes.pop(name)
			if process.poll() is None:
				try:
					os.killpg(process.pid, signal.SIGTERM)  # its own session: the process and its children
					process.wait(timeout=15)
				except subprocess.TimeoutExpired:
					os.killpg(process.pid, signal.SIGKILL)
					process.wait(timeout=15)
				except ProcessLookupError:
					pass
		self.restore_site()

	# --- the site's config ---

	def configure_site(self) -> None:
		import frappe

		config = self.read_site_config()
		self.saved_config = {key: config.get(key) for key in ("socketio_port",)}
		self.write_site_config(socketio_port=self.socketio_port)
		self.saved_scheduler = frappe.db.get_single_value("System Settings", "enable_scheduler")
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		frappe.db.commit()  # nosemgrep: the stack's processes read it

	def restore_site(self) -> None:
		import frappe

		if self.saved_config is not None:
			self.write_site_config(**self.saved_config)
			self.saved_config = None
		if self.saved_scheduler is not None:
			frappe.db.rollback()
			frappe.db.set_single_value("System Settings", "enable_scheduler", self.saved_scheduler)
			frappe.db.commit()  # nosemgrep: put back what the test changed
			self.saved_scheduler = None

	def read_site_config(self) -> dict:
		with open(self.site_config_path()) as file:
			return json.load(file)

	def write_site_config(self, **values) -> None:
		"""Set (None: remove) keys of the site's config file only; this process's frappe.conf stays as it was."""
		from frappe.utils.synchronization import filelock

		with filelock("site_config"):
			config = self.read_site_config()
			for key, value in values.items():
				if value is None:
					config.pop(key, None)
				else:
					config[key] = value
			path = self.site_config_path()
			with open(path + ".stack", "w") as file:
				file.write(json.dumps(config, indent=1, sort_keys=True))
			os.replace(path + ".stack", path)

	def site_config_path(self) -> str:
		return str(self.bench / "sites" / self.site / "site_config.json")

	# --- processes ---

	def frappe(self, *command: str) -> list[str]:
		return [
			str(self.bench / "env/bin/python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			self.site,
			*command,
		]

	def env(self) -> dict:
		env = {
			k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")
		}  # CI: Frappe's test mode in jobs
		env.update(
			FRAPPE_REDIS_QUEUE=self.redis_url,
			FRAPPE_SOCKETIO_PORT=str(self.socketio_port),
			FRAPPE_SITE=self.site,  # socket.io: the site of a connection from 127.0.0.1
			FRAPPE_BENCH_ROOT=str(self.bench),
			DEV_SERVER="1",
			PYTHONPATH=str(REPO / "apps") + os.pathsep + str(REPO),
			PYTHONUNBUFFERED="1",
		)
		return env

	def spawn(self, name: str, command: list[str], cwd=None) -> None:
		path = artifacts_dir() / f"stack-{name}.log"
		self.logs[name] = path
		with open(path, "wb") as log:
			self.processes[name] = subprocess.Popen(
				command,
				cwd=str(cwd or self.bench / "sites"),
				env=self.env(),
				stdin=subprocess.DEVNULL,
				stdout=log,
				stderr=subprocess.STDOUT,
				start_new_session=True,
			)

	def log(self, name: str) -> str:
		try:
			return self.logs[name].read_text(errors="replace")
		except OSError:
			return ""

	def wait_for(self, name: str, ready) -> None:
		import redis

		deadline = time.monotonic() + START_TIMEOUT
		while time.monotonic() < deadline:
			process = self.processes[name]
			if process.poll() is not None:
				raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")
			try:
				if ready():
					return
			except (requests.RequestException, OSError, redis.exceptions.RedisError):
				pass  # not listening yet
			time.sleep(0.5)
		raise RuntimeError(f"{name} was not ready within {START_TIMEOUT}s:\n{self.log(name)[-3000:]}")

	def redis_ping(self) -> bool:
		import redis

		return redis.Redis.from_url(self.redis_url, socket_timeout=2).ping()

	def wait_jobs_done(self, timeout: float = 300) -> None:
		"""Until the worker has nothing queued or running, twice in a row a second apart. A site's first
		scheduler tick enqueues every scheduled job that never ran (on a new site some forty, most of a minute of
		one worker's time): a test that needs one job run soon waits for that burst first."""
		import redis

		connection = redis.Redis.from_url(self.redis_url, socket_timeout=5)
		deadline, quiet = time.monotonic() + timeout, 0
		while time.monotonic() < deadline:
			self.check_alive()
			busy = sum(connection.llen(key) for key in connection.keys("rq:queue:*")) + sum(
				connection.zcard(key) for key in connection.keys("rq:wip:*")
			)
			quiet = quiet + 1 if not busy else 0
			if quiet >= 2:
				return
			time.sleep(1)
		raise RuntimeError(f"the worker was still busy after {timeout}s:\n{self.log('worker')[-3000:]}")

	def check_alive(self) -> None:
		"""Raise with the log of any process of the stack that died."""
		for name, process in self.processes.items():
			if process.poll() is not None:
				raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")


def wait_socket(stack: RealtimeStack, browser, user: str) -> bool:
	"""Until the page's socket.io connection receives what is published to its user's room; False if it never
	does.

	A connected socket can still hear nothing: socket.io (4.7, cleanupEmptyChildNamespaces, as Frappe sets
	it) drops the site's namespace when its last socket leaves — the previous page's, on a reload — while
	the new page's socket is still being authenticated, and that socket then joins the dropped namespace.
	This probes the connection (a test event published straight to Redis) and reconnects the socket when
	the probe does not arrive; tests then move between desk pages without reloads (frappe.set_route)."""
	import frappe
	import redis

	browser.wait_js(
		"return !!(frappe.realtime.socket && frappe.realtime.socket.connected)",
		"the socket.io connection",
		60,
	)
	browser.js(
		"window.ecrm_probes = []; frappe.realtime.on('ecrm_test_probe', (d) => window.ecrm_probes.push(d));"
	)
	connection = redis.Redis.from_url(stack.redis_url)
	for attempt in range(4):
		deadline = time.monotonic() + 8
		while time.monotonic() < deadline:
			connection.publish(
				"events",
				frappe.as_json(
					{
						"event": "ecrm_test_probe",
						"message": {"attempt": attempt},
						"namespace": stack.site,
						"room": f"user:{user}",
					}
				),
			)
			if browser.js("return window.ecrm_probes.length"):
				if attempt:
					print(f"\nsocket.io: the probe arrived after {attempt} reconnect(s)")
				return True
			time.sleep(0.5)
		browser.js("frappe.realtime.socket.disconnect(); frappe.realtime.socket.connect();")
		browser.wait_js("return frappe.realtime.socket.connected", "the socket.io reconnection", 30)
	return False


def run_scheduler(site: str) -> None:
	"""`bench schedule` for one site: enqueue its due scheduled jobs every few seconds, until stopped."""
	from frappe.utils.scheduler import enqueue_events_for_site

	signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
	print(
		f"scheduler for {site}: every {SCHEDULER_TICK}s, queue {os.environ.get('FRAPPE_REDIS_QUEUE')}",
		flush=True,
	)
	while True:
		enqueue_events_for_site(site)
		print(time.strftime("%H:%M:%S"), "enqueued due events", flush=True)
		time.sleep(SCHEDULER_TICK)


if __name__ == "__main__":
	if len(sys.argv) == 3 and sys.argv[1] == "scheduler":
		run_scheduler(sys.argv[2])
	else:
		sys.exit(json.dumps({"usage": "python -m tests.browser.stack scheduler SITE"}))
