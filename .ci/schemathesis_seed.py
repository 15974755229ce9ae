#!/usr/bin/env python3
"""Prepares a run of .ci/schemathesis.sh against a fresh server.

Signs in the demo admin, opens a widget visitor session (with the server's own Origin, as the
chat frame does), and makes one of each thing the API's ids name: a dialog (the visitor writes),
a tag, a category, a saved reply, a proactive message, an operator and an upload. Then writes
the run's configuration: .ci/schemathesis.toml followed by dictionaries of those ids, bound to
the path and body parameters that name them with probability 0.5, so half of the requests reach
a real resource and the other half probe ids that name nothing.

Usage: schemathesis_seed.py BASE_URL ADMIN_PASSWORD BASE_CONFIG OUT_CONFIG
Prints ST_SESSION=…, ST_VISITOR=… and ST_KEY=… (a Web API key with every scope) for the shell
to export (the config refers to them).
"""

import json
import re
import sys
import urllib.request

base, password, base_config, out_config = sys.argv[1:5]


def call(method, path, body=None, headers=None, raw=None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
        return resp.headers, (json.loads(text) if text.startswith(("{", "[")) else text)


headers, _ = call("POST", "/api/v1/auth/login", {"email": "admin@example.com", "password": password})
session = re.search(r"frontline_session=([^;]+)", headers.get("Set-Cookie", "")).group(1)
admin = {"Cookie": f"frontline_session={session}"}
_, demo = call("GET", "/demo")
key = re.search(r'data-key="([^"]+)"', demo).group(1)
_, opened = call("POST", "/widget/v1/session", {"key": key}, {"Origin": base})
visitor = {"Authorization": f"Bearer {opened['token']}"}

_, message = call("POST", "/widget/v1/messages", {"client_id": "seed-1", "body": "Здравствуйте!"}, visitor)
_, channels = call("GET", "/api/v1/channels", headers=admin)
_, tag = call("POST", "/api/v1/tags", {"name": "schemathesis"}, admin)
_, category = call("POST", "/api/v1/categories", {"name": "schemathesis"}, admin)
_, reply = call("POST", "/api/v1/saved-replies", {"scope": "personal", "title": "Привет", "body": "Здравствуйте!"}, admin)
_, trigger = call("POST", "/api/v1/triggers", {"name": "Приветствие", "message": "Чем помочь?"}, admin)
new_operator = {"email": "anna@example.com", "display_name": "Анна", "password": "anna-password", "role": "operator"}
_, operator = call("POST", "/api/v1/operators", new_operator, admin)
octet = {"Content-Type": "application/octet-stream"}
_, upload = call("POST", "/api/v1/uploads?name=seed.txt", headers={**admin, **octet}, raw=b"seed file")
every_scope = {"name": "schemathesis", "scopes": ["visitors:read", "visitors:write", "events:write"]}
_, web_key = call("POST", "/api/v1/api-keys", every_scope, admin)
# Another key for the path of DELETE /api/v1/api-keys/{id}: revoking it leaves the run's own.
_, spare_key = call("POST", "/api/v1/api-keys", {"name": "spare", "scopes": ["visitors:read"]}, admin)
web = {"Authorization": f"Bearer {web_key['secret']}"}
call("PUT", "/api/v1/web/users/seed-user", {"name": "Ирина", "attributes": {"plan": "pro"}}, web)

ids = {
    "dialog": message["dialog_id"],
    "channel": channels["items"][0]["id"],
    "tag": tag["id"],
    "category": category["id"],
    "reply": reply["id"],
    "trigger": trigger["id"],
    "operator": operator["id"],
    "upload": upload["id"],
    "api_key": spare_key["key"]["id"],
    "user": "seed-user",
}
# (operations as a regular expression of `METHOD /path`, parameter, dictionary)
bindings = [
    (r"^[A-Z]+ /api/v1/dialogs/\{id\}", "path.id", "dialog"),
    (r"^POST /api/v1/dialogs/close$", "body.ids[*]", "dialog"),
    (r"^POST /widget/v1/rating$", "body.dialog_id", "dialog"),
    (r"^[A-Z]+ /api/v1/channels/\{id\}", "path.id", "channel"),
    (r"^POST /api/v1/saved-replies$", "body.channel_id", "channel"),
    (r"^PUT /api/v1/routing-rules$", "body.items[*].channel_id", "channel"),
    (r"^[A-Z]+ /api/v1/tags/\{id\}", "path.id", "tag"),
    (r"^PUT /api/v1/dialogs/\{id\}/tags$", "body.tag_ids[*]", "tag"),
    (r"^[A-Z]+ /api/v1/categories/\{id\}", "path.id", "category"),
    (r"^PUT /api/v1/dialogs/\{id\}/category$", "body.category_id", "category"),
    (r"^[A-Z]+ /api/v1/saved-replies/\{id\}", "path.id", "reply"),
    (r"^[A-Z]+ /(api|widget)/v1/triggers/\{id\}", "path.id", "trigger"),
    (r"^POST /widget/v1/messages$", "body.trigger_id", "trigger"),
    (r"^[A-Z]+ /api/v1/operators/\{id\}", "path.id", "operator"),
    (r"^POST /api/v1/dialogs/\{id\}/assign$", "body.operator_id", "operator"),
    (r"^PUT /api/v1/channels/\{id\}/members$", "body.operator_ids[*]", "operator"),
    (r"^GET /api/v1/attachments/\{id\}$", "path.id", "upload"),
    (r"^DELETE /api/v1/api-keys/\{id\}$", "path.id", "api_key"),
    (r"^[A-Z]+ /api/v1/web/users/\{user_id\}", "path.user_id", "user"),
]

with open(base_config, encoding="utf-8") as f:
    config = f.read()
config += "\n# Written by .ci/schemathesis_seed.py: ids of what the seed made, for half of the requests.\n"
for name, value in ids.items():
    config += f'[dictionaries.{name}]\nvalues = ["{value}"]\n'
by_operations = {}
for regex, parameter, name in bindings:
    by_operations.setdefault(regex, []).append((parameter, name))
for regex, params in by_operations.items():
    config += f"\n[[operations]]\ninclude-name-regex = {json.dumps(regex)}\n"
    for parameter, name in params:
        config += f'parameters."{parameter}" = {{ dictionary = "{name}", probability = 0.5 }}\n'
with open(out_config, "w", encoding="utf-8") as f:
    f.write(config)

print(f"ST_SESSION={session}")
print(f"ST_VISITOR={opened['token']}")
print(f"ST_KEY={web_key['secret']}")
