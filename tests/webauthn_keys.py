"""A software security key for tests: it answers the server's WebAuthn options as a browser and a key do.

It makes a P-256 key pair, answers a registration with "none" attestation and a sign-in with a signed
assertion, and lets a test change what a browser would never send: another origin, an old answer.
"""

import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

USER_PRESENT, ATTESTED = 0x01, 0x40


class SoftKey:
    """One security key: registered with register(options), then used with sign_in(options)."""

    def __init__(self, rp_id="localhost", origin="http://localhost"):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.rp_id, self.origin = rp_id, origin
        self.counter = 0

    def _public_key(self):
        """The public key in COSE form (EC2, P-256, ES256)."""
        numbers = self.private.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})

    def _client_data(self, kind, options, origin):
        """The browser's client data for the challenge of `options` (the server's JSON text)."""
        challenge = json.loads(options)["challenge"]
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin}).encode()

    def _authenticator_data(self, flags, extra=b""):
        """The RP ID's hash, the flags and the counter, then `extra`."""
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.counter) + extra

    def _credential(self, response):
        """The JSON text a page's script posts."""
        key_id = bytes_to_base64url(self.credential_id)
        encoded = {name: bytes_to_base64url(value) for name, value in response.items()}
        return json.dumps(
            {
                "id": key_id,
                "rawId": key_id,
                "type": "public-key",
                "response": {**encoded, "transports": ["usb"]},
                "clientExtensionResults": {},
            }
        )

    def register(self, options, origin=None):
        """The answer to navigator.credentials.create(options)."""
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        data = self._authenticator_data(USER_PRESENT | ATTESTED, attested + self._public_key())
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": data})
        client = self._client_data("webauthn.create", options, origin)
        return self._credential({"clientDataJSON": client, "attestationObject": attestation})

    def sign_in(self, options, origin=None):
        """The answer to navigator.credentials.get(options), with the counter moved on."""
        self.counter += 1
        data = self._authenticator_data(USER_PRESENT)
        client = self._client_data("webauthn.get", options, origin)
        signature = self.private.sign(data + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256()))
        return self._credential({"clientDataJSON": client, "authenticatorData": data, "signature": signature})
