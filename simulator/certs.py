"""Throw-away OPC UA application certificates (self-signed, DER) and keys (PEM) for tests and demos."""
from __future__ import annotations

import ipaddress
import os
import socket

from asyncua.crypto import cert_gen
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

__all__ = ["fingerprint", "make_certificate"]


def make_certificate(directory, name, application_uri, hosts=None, days=30):
    """Write `<name>.der` and `<name>.pem` into `directory`; returns (certificate path, key path).

    The certificate carries `application_uri` as its URI subject alternative name (OPC UA checks
    it against the application description) and `hosts` (default: localhost, 127.0.0.1 and this
    machine's name) as DNS/IP names; it is usable as both client and server certificate.
    """
    if hosts is None:
        hosts = ("localhost", "127.0.0.1", socket.gethostname())
    os.makedirs(directory, exist_ok=True)
    key = cert_gen.generate_private_key()
    names = [x509.UniformResourceIdentifier(application_uri)]
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    certificate = cert_gen.generate_self_signed_app_certificate(
        key, name, {}, names, [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH], days=days)
    cert_path = os.path.join(directory, name + ".der")
    key_path = os.path.join(directory, name + ".pem")
    with open(cert_path, "wb") as handle:
        handle.write(certificate.public_bytes(encoding=_der()))
    with open(key_path, "wb") as handle:
        handle.write(cert_gen.dump_private_key_as_pem(key))
    return cert_path, key_path


def fingerprint(certificate):
    """SHA-256 fingerprint (hex) of an x509 certificate object."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding
    return Encoding.DER
