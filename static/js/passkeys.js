// Security keys and passkeys (WebAuthn): a form marked data-passkey fetches a challenge from the server,
// asks the browser's key for its answer, puts it in the form's hidden "credential" field and posts the
// form as any other. Without this script (or without WebAuthn) the forms post nothing and the server
// says that keys need JavaScript; codes from the authenticator app work everywhere.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function bytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function text(buffer) {
    var raw = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(options) {
    options.challenge = bytes(options.challenge);
    if (options.user) { options.user.id = bytes(options.user.id); }
    (options.excludeCredentials || []).concat(options.allowCredentials || []).forEach(function (key) {
      key.id = bytes(key.id);
    });
    return options;
  }

  function answer(credential) {
    var response = credential.response;
    var sent = { clientDataJSON: text(response.clientDataJSON) };
    if (response.attestationObject) {
      sent.attestationObject = text(response.attestationObject);
      sent.transports = response.getTransports ? response.getTransports() : [];
    } else {
      sent.authenticatorData = text(response.authenticatorData);
      sent.signature = text(response.signature);
      if (response.userHandle) { sent.userHandle = text(response.userHandle); }
    }
    return JSON.stringify({
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      response: sent,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined
    });
  }

  function challenge(form) {
    var token = form.querySelector('input[name$="csrf_token"]');
    return fetch(form.dataset.options, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (reply) {
      return reply.json().then(function (body) {
        if (!reply.ok) { throw new Error(body.message || ""); }
        return withBytes(body);
      });
    });
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var field = form.querySelector('input[name$="credential"]');
    var status = form.querySelector("[data-passkey-status]");
    form.addEventListener("submit", function (event) {
      if (field.value) { return; }
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      status.textContent = form.dataset.waiting;
      challenge(form).then(function (options) {
        var ask = form.dataset.passkey === "register" ? "create" : "get";
        return navigator.credentials[ask]({ publicKey: options });
      }).then(function (credential) {
        field.value = answer(credential);
        form.submit();
      }).catch(function (error) {
        // The browser's own errors (cancelled, timed out) are in English: the page says it in its language.
        var told = error && error.name === "Error" ? " " + error.message : "";
        status.textContent = form.dataset.failed + told;
      });
    });
  });
})();
