"""A real IMAP server on loopback: Debian's dovecot (2.3), run by the current, unprivileged user — for the
tests and for the demo mail host (ent_crm.devmail.host).

`ImapServer` writes a private dovecot configuration, mail store, password file and log into a fresh
temporary folder, starts `dovecot -F` on a free loopback port and stops it (and removes the folder) on
exit. Everything runs as the current, unprivileged user: every service user is that user, nothing is
chrooted, there is no TLS and plain-text login is allowed (loopback only).

The mail host keeps its mail: `ImapServer(root=folder, port=1143, shared_password="...")` stores into
`folder` (kept on exit), listens on that port, and lets any address log in with the shared password, its
mailbox made on first use. Its sockets live in a short temporary folder either way.

	with ImapServer() as server:
		server.add_user("sales@company.example", "secret")
		server.deliver("sales@company.example", raw_bytes, seen=True)
		... connect to server.host:server.port ...
		server.messages("sales@company.example")  # [(uid, flags, raw), ...]

`ImapServer.available()` says whether dovecot is installed, so a test can skip with a clear reason.
"""

import ctypes
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DOVECOT = "/usr/sbin/dovecot"
START_TIMEOUT = 20  # seconds until the port must greet
LOGIN_TIMEOUT = 10  # seconds until a user added while running must be able to log in
START_ATTEMPTS = 3  # the free port can be taken between picking it and dovecot binding it
MAX_TEMP_ROOT = 60  # unix socket paths (base_dir/...) must stay under 108 characters
PR_SET_PDEATHSIG = 1  # linux/prctl.h
FETCH_UID = re.compile(rb"\bUID (\d+)")
FETCH_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")


class ImapServerError(RuntimeError):
	pass


class ImapServer:
	host = "127.0.0.1"

	def __init__(self, root: str | None = None, port: int | None = None, shared_password: str | None = None):
		self.port = port
		self.fixed_port = port
		self.keep = root  # a folder given by the caller is kept, with its mail
		self.root = None
		self.run_dir = None
		self.process = None
		self.users = {}  # name -> password
		self.shared_password = shared_password
		if shared_password is not None and (not shared_password or re.search(r"[\s\"'\\]", shared_password)):
			raise ValueError("unusable shared IMAP password: no spaces, quotes or backslashes")

	@classmethod
	def available(cls) -> bool:
		return os.access(DOVECOT, os.X_OK)

	def __enter__(self) -> "ImapServer":
		self.start()
		return self

	def __exit__(self, *exc) -> None:
		self.stop()

	# --- lifecycle ---

	def start(self) -> None:
		if os.geteuid() == 0:
			raise ImapServerError(
				"dovecot's login processes refuse to run as root: run tests as the bench's user"
			)
		self.run_dir = tempfile.mkdtemp(prefix="ent_crm-imap-", dir=_temp_parent())
		os.chmod(self.run_dir, 0o755)
		os.mkdir(os.path.join(self.run_dir, "run"), 0o755)  # dovecot wants base_dir world-readable
		self.root = os.path.abspath(self.keep) if self.keep else self.run_dir
		try:
			for folder in ("state", "mail", "home"):
				os.makedirs(self.path(folder), 0o755, exist_ok=True)
			self._write_users()
			for attempt in range(1 if self.fixed_port else START_ATTEMPTS):
				self.port = self.fixed_port or _free_port(self.host)
				self._write_config()
				if self._launch() or attempt == START_ATTEMPTS - 1:
					break
			self._wait_until_ready()
		except BaseException:
			self.stop()
			raise

	def stop(self) -> None:
		if self.process is not None:
			if self.process.poll() is None:
				self.process.terminate()  # dovecot's master stops its services and exits
				try:
					self.process.wait(timeout=10)
				except subprocess.TimeoutExpired:
					self.process.kill()
					self.process.wait(timeout=10)
			self.process = None
		if self.run_dir:
			shutil.rmtree(
				self.run_dir, ignore_errors=True
			)  # with the store, unless the caller gave its folder
			self.run_dir = None
		self.root = None

	@property
	def running(self) -> bool:
		return self.process is not None and self.process.poll() is None

	def path(self, *parts: str) -> str:
		return os.path.join(self.root, *parts)

	def log(self) -> str:
		"""dovecot's log, and what it wrote to stderr before its log was open."""
		text = []
		for name in ("dovecot.log", "dovecot.stderr"):
			if self.root and os.path.exists(self.path(name)):
				with open(self.path(name), errors="replace") as file:
					text.append(f"--- {name} ---\n{file.read()}")
		return "\n".join(text)

	# --- users and mail ---

	def add_user(self, name: str, password: str) -> None:
		if not name or re.search(r"[:/\s]", name) or re.search(r"[:\n]", password):
			raise ValueError(f"unusable IMAP user name or password: {name!r}")
		self.users[name] = password
		if self.root:
			self._write_users()
		if self.running:
			self._wait_for_login(name)

	def deliver(self, user: str, raw: bytes, folder: str = "INBOX", seen: bool = False) -> int | None:
		"""APPEND `raw` to `folder` of `user` (creating the folder); return its UID when dovecot says."""
		with self.connect(user) as imap:
			if folder.upper() != "INBOX":
				imap.create(_quote(folder))  # NO when it exists already: fine
			status, data = imap.append(_quote(folder), r"(\Seen)" if seen else None, None, raw)
			_check(status, data, f"APPEND to {folder}")
		match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
		return int(match.group(1)) if match else None

	def messages(self, user: str, folder: str = "INBOX") -> list[tuple[int, tuple[str, ...], bytes]]:
		"""Every message of `folder` as (uid, flags, raw), by UID, without changing any flag.
		\\Recent is left out: it depends on the session, not on the message."""
		with self.connect(user) as imap:
			status, data = imap.select(_quote(folder), readonly=True)
			_check(status, data, f"SELECT {folder}")
			status, data = imap.uid("SEARCH", None, "ALL")
			_check(status, data, "UID SEARCH")
			if not data[0]:
				return []
			status, data = imap.uid("FETCH", b",".join(data[0].split()).decode(), "(UID FLAGS BODY.PEEK[])")
			_check(status, data, "UID FETCH")
		return sorted(_parse_fetch(data))

	def connect(self, user: str) -> imaplib.IMAP4:
		"""A logged-in imaplib connection as `user` (use it as a context manager: it logs out)."""
		imap = imaplib.IMAP4(self.host, self.port, timeout=10)
		try:
			imap.login(user, self.users[user] if user in self.users else self.shared_password)
		except BaseException:
			imap.shutdown()
			raise
		return imap

	# --- internals ---

	def _write_users(self) -> None:
		"""passwd-file: user:{PLAIN}password:uid:gid::home — replaced whole, so dovecot re-reads it."""
		uid, gid = os.getuid(), os.getgid()
		lines = [
			f"{name}:{{PLAIN}}{password}:{uid}:{gid}::{self.path('home', name)}::\n"
			for name, password in self.users.items()
		]
		_write_atomically(self.path("users"), "".join(lines))

	def _write_config(self) -> None:
		_write_atomically(self.path("dovecot.conf"), self._config())

	def _config(self) -> str:
		user = pwd.getpwuid(os.getuid()).pw_name
		group = grp.getgrgid(os.getgid()).gr_name
		uid, gid = os.getuid(), os.getgid()
		return f"""# ent_crm test IMAP server: everything as {user}, loopback only
base_dir = {os.path.join(self.run_dir, "run")}
state_dir = {self.path("state")}
log_path = {self.path("dovecot.log")}
protocols = imap
listen = {self.host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_privileged_group =
mail_location = maildir:{self.path("mail")}/%u
namespace inbox {{
  inbox = yes
  separator = /
}}
{self._user_config()}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""

	def _user_config(self) -> str:
		if self.shared_password is None:
			return f"""passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.path("users")}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.path("users")}
}}"""
		# any address logs in with the shared password; its mailbox is made on first use
		return f"""passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.path("users")}
}}
passdb {{
  driver = static
  args = password={self.shared_password}
}}
userdb {{
  driver = static
  args = uid={os.getuid()} gid={os.getgid()} home={self.path("home")}/%u
}}"""

	def _launch(self) -> bool:
		"""Start dovecot in the foreground; False when it died at once because the port was taken."""
		if os.path.exists(self.path("dovecot.log")):
			os.remove(self.path("dovecot.log"))
		with open(self.path("dovecot.stderr"), "wb") as stderr:
			self.process = subprocess.Popen(
				[DOVECOT, "-F", "-c", self.path("dovecot.conf")],
				stdin=subprocess.DEVNULL,
				stdout=stderr,
				stderr=stderr,
				cwd=self.root,
				preexec_fn=_stop_with_parent,
			)
		try:
			self.process.wait(timeout=0.5)
		except subprocess.TimeoutExpired:
			return True
		return "Address already in use" not in self.log()

	def _wait_until_ready(self) -> None:
		deadline = time.monotonic() + START_TIMEOUT
		while time.monotonic() < deadline:
			if not self.running:
				raise ImapServerError(f"dovecot exited with {self.process.returncode}\n{self.log()}")
			if _greets(self.host, self.port):
				return
			time.sleep(0.1)
		raise ImapServerError(
			f"dovecot did not greet on {self.host}:{self.port} in {START_TIMEOUT}s\n{self.log()}"
		)

	def _wait_for_login(self, user: str) -> None:
		"""dovecot's auth process looks at passwd-file at most once a second, and re-reads it when its mtime
		or size changed: give the file a new mtime, let that second pass, then check the login (reloading
		dovecot with SIGHUP should it still fail)."""
		stamp = int(time.time()) + 1
		os.utime(self.path("users"), (stamp, stamp))
		time.sleep(max(0, stamp - time.time()))
		deadline = time.monotonic() + LOGIN_TIMEOUT
		reloaded = False
		while True:
			try:
				self.connect(user).logout()
				return
			except (imaplib.IMAP4.error, OSError) as error:
				if time.monotonic() > deadline:
					raise ImapServerError(f"user {user} cannot log in: {error}\n{self.log()}") from error
			if not reloaded:
				self.process.send_signal(signal.SIGHUP)
				reloaded = True
			time.sleep(0.5)


def _stop_with_parent() -> None:
	"""In the child, before exec: should the test process die first, Linux sends dovecot SIGTERM."""
	try:
		ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
	except (OSError, AttributeError):
		pass


def _temp_parent() -> str:
	parent = tempfile.gettempdir()
	return parent if len(parent) <= MAX_TEMP_ROOT else "/tmp"


def _free_port(host: str) -> int:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
		probe.bind((host, 0))
		return probe.getsockname()[1]


def _greets(host: str, port: int) -> bool:
	"""Whether an IMAP server answers on host:port with its "* OK" greeting."""
	try:
		with socket.create_connection((host, port), timeout=2) as conn:
			greeting = conn.makefile("rb").readline()
			conn.sendall(b"a LOGOUT\r\n")
	except OSError:
		return False
	return greeting.startswith(b"* OK")


def _write_atomically(path: str, text: str) -> None:
	with open(f"{path}.new", "w") as file:
		file.write(text)
	os.replace(f"{path}.new", path)


def _quote(folder: str) -> str:
	return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(status: str, data: list, what: str) -> None:
	if status != "OK":
		raise ImapServerError(f"{what} failed: {status} {data!r}")


def _parse_fetch(data: list) -> list[tuple[int, tuple[str, ...], bytes]]:
	"""imaplib's UID FETCH answer: (b'1 (UID 1 FLAGS (\\Seen) BODY[] {n}', raw) pairs, then b')'."""
	found = []
	for item in data:
		if not isinstance(item, tuple):
			continue
		uid, flags = FETCH_UID.search(item[0]), FETCH_FLAGS.search(item[0])
		if not (uid and flags):
			raise ImapServerError(f"unexpected FETCH answer: {item[0]!r}")
		flag_names = tuple(flag for flag in flags.group(1).decode().split() if flag != "\\Recent")
		found.append((int(uid.group(1)), flag_names, item[1]))
	return found
