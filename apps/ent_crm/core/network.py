"""Office-network rules (A5(2)): which client addresses may log in. No Frappe imports (unit-testable)."""

import ipaddress


def parse_networks(text: str | None) -> tuple[list, list[str]]:
	"""Split the settings text (one entry per line, commas allowed) into networks and the invalid entries."""
	networks, invalid = [], []
	for raw in (text or "").replace(",", "\n").splitlines():
		entry = raw.strip()
		if not entry or entry.startswith("#"):
			continue
		try:
			networks.append(ipaddress.ip_network(entry, strict=False))
		except ValueError:
			invalid.append(entry)
	return networks, invalid


def address_allowed(address: str | None, networks: list) -> bool:
	"""True when no networks are configured, or the address lies in one of them."""
	if not networks:
		return True
	try:
		ip = ipaddress.ip_address((address or "").strip())
	except ValueError:
		return False
	return any(ip.version == net.version and ip in net for net in networks)
