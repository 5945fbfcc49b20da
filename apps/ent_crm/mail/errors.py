"""What mail servers and the network answer most often, in plain words (pure: no site needed).

The words are stored in English (ECRM Mailbox Health.last_error) and translated where they are shown; their
rows are in translations/zh.csv. Patterns are matched in lower case against "ExceptionClass: message".
"""

DETAIL_LENGTH = 2000

AUTH_FAILED = "The mail server refused the user name or password (authentication failed). Enter the mailbox's current password."
CONNECTION_REFUSED = "The mail server refused the connection. Check the server address and the port."
TIMEOUT = "The mail server did not answer in time (timeout). It may be down or blocked by a firewall."
UNKNOWN_HOST = "The mail server's address could not be found. Check the server name."
UNREACHABLE = "The mail server cannot be reached from this server (network unreachable)."
SSL_FAILED = (
	"A secure (SSL/TLS) connection to the mail server could not be made. Check the SSL setting and the port."
)
INVALID_SEARCH = "The mail server rejected the search for new mail (invalid search)."
NO_FOLDER = "A folder set for this mailbox does not exist on the mail server."
PULL_STOPPED = "A mail could be neither stored nor kept in the failure queue: the pull stopped before it and reads it again next time. The error detail and the Error Log say why."
UNKNOWN = "The pull failed for a reason the CRM does not recognise; the error detail says what happened."

PLAIN_WORDS = [
	(
		AUTH_FAILED,
		(
			"authenticationfailed",
			"authentication failed",
			"loginfailed",
			"login failed",
			"invalid credentials",
			"invalidemailcredentials",
			"check your email login credentials",
			"[auth]",
			"state nonauth",
			"username and password not accepted",
			"logon failure",
		),
	),
	(CONNECTION_REFUSED, ("connection refused", "errno 111", "errno 61", "connectionrefusederror")),
	(TIMEOUT, ("timed out", "timeout")),
	(
		UNKNOWN_HOST,
		("name or service not known", "nodename nor servname", "name resolution", "getaddrinfo", "gaierror"),
	),
	(UNREACHABLE, ("network is unreachable", "no route to host")),
	(SSL_FAILED, ("ssl", "certificate", "wrong version number")),
	(
		INVALID_SEARCH,
		(
			"search command error",
			"invalid uidset",
			"invalid search",
			"uid search",
			"error in imap command search",
		),
	),
	(
		NO_FOLDER,
		(
			"mailbox doesn't exist",
			"mailbox does not exist",
			"nonexistent",
			"no such mailbox",
			"unknown mailbox",
		),
	),
]


def plain_words(error) -> str:
	"""The stored (English) plain words for an error or an error text."""
	text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error or "")
	text = text.lower()
	for words, patterns in PLAIN_WORDS:
		if any(p in text for p in patterns):
			return words
	return UNKNOWN


def error_text(error) -> str:
	if isinstance(error, BaseException):
		return f"{type(error).__name__}: {error}"[:DETAIL_LENGTH]
	return str(error or "")[:DETAIL_LENGTH]
