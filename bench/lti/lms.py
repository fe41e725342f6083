"""An LTI 1.3 platform (an LMS) built on PyPI's lti1p3platform 0.1.8: its key set, the OIDC
authorization endpoint that signs launches, the OAuth 2 token endpoint (client assertion checked
against the tool's published key set), one line item's scores endpoint and the course roster,
each served by the library's own classes. Loopback only. Used by e2e.py (named lms.py: `platform` is a standard module)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService

CLIENT_ID = "newslit-bench"
DEPLOYMENT_ID = "bench-deployment-1"
COURSE = {"id": "course-101", "title": "Media literacy 101", "label": "ML101"}
LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


class DictRequest(Request):
    def build_metadata(self, request):
        return request


def request_of(method, query=None, form=None, headers=None, body=None):
    return DictRequest({"method": method, "get_data": query or {}, "form_data": form or {},
                        "headers": headers or {}, "content_type": headers.get("Content-Type") if headers else None,
                        "path": "", "json": body})


class Lms:
    """What the LMS knows: its people, the placement's custom parameters, what arrived."""

    def __init__(self, tool_base):
        self.base = None
        self.tool_base = tool_base
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
        self.public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self.people = {}        # LMS user id -> (name, [roles])
        self.custom = {}        # resource link id -> custom parameters
        self.scores = []        # every score the line item received
        self.lock = threading.Lock()

    def config(self):
        lms = self

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs):
                pass

            def get_registration_by_params(self, **kwargs):
                return (Registration()
                        .set_iss(lms.base).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT_ID)
                        .set_oidc_login_url(f"{lms.tool_base}/v1/lti/login")
                        .set_launch_url(f"{lms.tool_base}/v1/lti/launch")
                        .set_tool_key_set_url(f"{lms.tool_base}/v1/lti/jwks")
                        .set_platform_public_key(lms.public_pem)
                        .set_platform_private_key(lms.private_pem))

        conf = Conf()
        conf.get_registration()
        return conf

    def login_url(self, user_id, resource_link_id):
        """Where the LMS sends the browser to start a launch (the tool's login initiation)."""
        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs):
                self._lti_message_hint = kwargs["hint"]

            def get_redirect(self, url):
                return url

        login = Login(None, self.config())
        login.set_lti_message_hint(hint=resource_link_id)
        return login.initiate_login(user_id)

    def authorize(self, query):
        """The OIDC authorization request: the signed launch, as the form the browser posts."""
        lms = self

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def render_launch_form(self, launch_data, **kwargs):
                return launch_data

        user = query["login_hint"]
        link = query.get("lti_message_hint", "link-1")
        name, roles = self.people[user]
        launch = Launch(request_of("GET", query=query), self.config())
        launch.set_user_data(user, roles, full_name=name)
        launch.set_resource_link_claim(link, title="newslit assignment")
        launch.set_launch_context_claim(COURSE["id"], context_title=COURSE["title"], context_label=COURSE["label"])
        launch.set_custom_parameters_claim(self.custom.get(link, {}))
        launch.set_ags(f"{lms.base}/lineitems", f"{lms.base}/lineitems/1")
        launch.set_nrps(f"{lms.base}/memberships")
        return launch.lti_launch()

    def ags(self, request):
        lms = self

        class Ags(AssignmentsGradesService):
            def find_lineitems(self, **kwargs):
                return {"content": [], "has_next": False}

            def find_lineitem(self, line_item_id):
                return {"id": f"{lms.base}/lineitems/{line_item_id}", "scoreMaximum": 1, "label": "newslit"}

            def create_lineitem(self, creation_data):
                return creation_data

            def update_lineitem(self, update_data):
                return update_data

            def delete_lineitem(self, line_item_id):
                return None

            def update_score(self, line_item_id, score):
                with lms.lock:
                    lms.scores.append({"line_item": line_item_id, **score})
                return UpdateScoreStatus.SUCCESS

            def get_results(self, line_item_id, **kwargs):
                return {"content": [], "has_next": False}

        return Ags(request, self.config(), f"{self.base}/lineitems", f"{self.base}/lineitems/1")

    def nrps(self, request):
        lms = self

        class Nrps(NamesRoleProvisioningService):
            def get_member_data_page(self, **kwargs):
                members = [{"user_id": uid, "name": name, "roles": roles, "status": "Active"}
                           for uid, (name, roles) in lms.people.items()]
                return {"content": members, "has_next": False}

            def get_context_by_id(self):
                return Context(id=COURSE["id"], label=COURSE["label"], title=COURSE["title"])

        return Nrps(request, self.config(), f"{self.base}/memberships")


def serve(lms, port=0):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, code, body, media_type="application/json"):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(code)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def library_reply(self, resp):
            self.reply(resp.code, resp.result if resp.result is not None else {"message": resp.message},
                       resp.media_type)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/jwks":
                self.reply(200, lms.config().get_jwks())
            elif url.path == "/authorize":
                self.reply(200, lms.authorize(query))
            elif url.path == "/memberships":
                service = lms.nrps(request_of("GET", query=query, headers=self.headers))
                self.library_reply(service.handle_resp(service.handle_get_members))
            else:
                self.reply(404, {"error": "not found"})

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if url.path == "/token":
                form = dict(urllib.parse.parse_qsl(raw.decode()))
                try:
                    self.reply(200, lms.config().get_access_token(form))
                except Exception as e:  # the library raises its own exception types
                    self.reply(400, {"error": "invalid_client", "error_description": repr(e)})
            elif url.path.startswith("/lineitems/") and url.path.endswith("/scores"):
                line_item = url.path.split("/")[2]
                service = lms.ags(request_of("POST", headers=self.headers, body=json.loads(raw)))
                self.library_reply(service.handle_resp(service.handle_update_score, line_item_id=line_item))
            else:
                self.reply(404, {"error": "not found"})

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    lms.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
