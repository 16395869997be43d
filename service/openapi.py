"""The OpenAPI 3.1 document of the API, built from the same limits the validation uses."""

from __future__ import annotations

from screening.draft import ID_CONTROL, KINDS, ZERO_WIDTH, _STRING_LIMITS
from screening.report import ELEMENTS, LOW_VALUE_LABELS
from screening.reporting.bulletin import REPORT_TYPES
from screening.units import UNIT_TYPES

# Moments that are stored (or compared with stored ones): years 1900–2099, so that every one has a
# UTC equivalent. Every calendar day of those years (29 February in leap years only); an offset up
# to ±14:00, or none (China time). The server reads any ISO 8601 form; this is what it promises.
_LEAP_YEAR = r"(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))"
_DAY = (rf"((19|20)\d\d-((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
        rf"|{_LEAP_YEAR}-02-29)")
STORED_DATETIME = {"type": "string", "description": "ISO 8601 日期时间，如 2026-07-01T10:00:00+08:00（不带时区按北京时间）",
                   "pattern": rf"^{_DAY}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{{1,6}})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?$"}
STORED_DATE = {"type": "string", "description": "日期 YYYY-MM-DD", "pattern": rf"^{_DAY}$"}

SPAN = {"type": "object", "required": ["field", "start", "end"],
        "properties": {"field": {"enum": ["title", "body"]}, "start": {"type": "integer", "minimum": 0},
                       "end": {"type": "integer", "minimum": 0}}}


# Something besides whitespace and zero-width characters: what a blank title, body or name is not.
VISIBLE = "[^\\s" + "".join(f"\\u{ord(c):04x}" for c in ZERO_WIDTH) + "]"


def _draft_schema() -> dict:
    props = {}
    for name, (low, high) in _STRING_LIMITS.items():
        props[name] = {"type": "string", "maxLength": high, **({"minLength": 1} if low else {})}
    for name in ("title", "body"):
        # blank after trimming is refused, and so is text of zero-width characters alone
        props[name]["pattern"] = VISIBLE
    # an id is kept as sent: something besides whitespace, and no control character (C0, DEL, C1)
    control = ID_CONTROL.pattern[1:-1]  # the class the validator refuses, in ECMA-262's syntax too
    props["id"]["pattern"] = f"^[^{control}]*[^\\s{control}][^{control}]*$"
    props["kind"] = {"enum": [*KINDS, None], "default": "single"}
    props["event_date"] = {"anyOf": [STORED_DATE, STORED_DATETIME, {"type": "null"}],
                           "description": "YYYY-MM-DD 或 ISO 8601 日期时间（1900—2099 年）"}
    props["submitted_at"] = {"anyOf": [STORED_DATETIME, {"type": "null"}]}
    props["emergency"] = {"type": ["boolean", "null"], "default": False}
    for name in ("unit", "reviewer", "id", "solicitation"):
        props[name] = {**props[name], "type": ["string", "null"]}
    props["solicitation"]["description"] = "所回复约稿的编号；给出时稿件按约稿（solicited）筛查，须是已发布的约稿"
    # Answering a solicitation makes the draft a solicited piece: no other kind goes with it.
    return {"type": "object", "required": ["title", "body"], "properties": props, "additionalProperties": True,
            "dependentSchemas": {"solicitation": {"properties": {"kind": {"enum": ["solicited", None]}}}}}


def _report_schema() -> dict:
    element = {"type": "object", "required": ["present", "evidence"],
               "properties": {"present": {"type": "boolean"}, "evidence": {"type": "array", "items": SPAN},
                              "score": {"type": "number"}}}
    flag = {"type": "object", "required": ["code", "severity", "message", "spans"],
            "properties": {"code": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]},
                           "message": {"type": "string"}, "suggestion": {"type": "string"},
                           "spans": {"type": "array", "items": SPAN},
                           "evidence": {"type": "array", "items": {"type": "string"}}}}
    return {
        "type": "object",
        "required": ["verdict", "low_value", "elements", "duplicates", "flags", "model_version", "elapsed_ms"],
        "properties": {
            "id": {"type": "string"},
            "verdict": {"enum": ["pass", "revise", "reject"]},
            "low_value": {"type": "object", "required": ["label", "probabilities"], "properties": {
                "label": {"enum": list(LOW_VALUE_LABELS)},
                "probabilities": {"type": "object", "required": list(LOW_VALUE_LABELS),
                                  "properties": {k: {"type": "number", "minimum": 0, "maximum": 1}
                                                 for k in LOW_VALUE_LABELS}},
                "cues": {"type": "array", "items": SPAN},
                "top_terms": {"type": "array", "items": {"type": "string"}}}},
            "elements": {"type": "object", "required": list(ELEMENTS),
                         "properties": {k: element for k in ELEMENTS}},
            "duplicates": {"type": "array", "items": {"type": "object", "required": ["id", "similarity"],
                                                      "properties": {"id": {"type": "string"},
                                                                     "similarity": {"type": "number"},
                                                                     "title": {"type": "string"},
                                                                     "how": {"type": "string"}}}},
            "flags": {"type": "array", "items": flag},
            "model_version": {"type": "string"},
            "elapsed_ms": {"type": "number"},
            "timeliness": {"type": "object"},
            "adoption": {"type": "object", "properties": {"probability": {"type": "number"}}},
        },
    }


ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "field"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "field": {"type": ["string", "null"]}}}}}


ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
_TEXT = {"type": "string", "maxLength": 100}
# A field the result does not use is still read with its type (a CSV row may fill every column).
_CHOICE = {"type": ["string", "null"], "maxLength": 200}
OUTCOME = {
    "type": "object",
    "oneOf": [
        {"required": ["result", "publication", "as_kind"],
         "properties": {"result": {"const": "adopted"}, "publication": {"enum": ["haidong", "qinghai", "state_council"]},
                        "as_kind": {"enum": ["single", "dynamic"]}}},
        {"required": ["result", "reason"],
         "properties": {"result": {"const": "rejected"},
                        "reason": {"enum": ["low_value", "duplicate", "late", "missing_elements", "quality", "other"]},
                        # the publication that declined, if only one did (国办未采用)
                        "publication": {"enum": ["haidong", "qinghai", "state_council", "", None]}}},
    ],
    "properties": {"publication": _CHOICE, "as_kind": _CHOICE, "reason": _CHOICE,
                   "note": {"type": "string", "maxLength": 2000}, "decided_by": _TEXT,
                   "decided_at": STORED_DATETIME},
}


UNIT = {"type": "object", "required": ["name", "type"], "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": VISIBLE},
    "type": {"enum": [*UNIT_TYPES, *UNIT_TYPES.values()]},
    "leader": {"type": ["string", "null"], "maxLength": 100}, "officer": {"type": ["string", "null"], "maxLength": 100},
    "phone": {"type": ["string", "null"], "maxLength": 100}}}
SOLICITATION = {"type": "object", "required": ["topic", "deadline", "units"], "properties": {
    # the server also takes 汉字; the document promises ASCII (JSON Schema's \w is ASCII-only)
    "id": {"type": ["string", "null"], "maxLength": 64, "pattern": r"^[A-Za-z0-9_\-一-鿿][A-Za-z0-9_.\-一-鿿]*$"},
    "topic": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"},
    "deadline": {"anyOf": [STORED_DATE, STORED_DATETIME],
                 "description": "截止时间：日期（当天 24 时截止）或 ISO 8601 日期时间"},
    "units": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1, "maxLength": 200,
                                                         "pattern": VISIBLE}},
    "required_elements": {"type": "array", "minItems": 1, "items": {"enum": list(ELEMENTS)}},
    "note": {"type": ["string", "null"], "maxLength": 2000},
    "created_by": {"type": ["string", "null"], "maxLength": 100}}}
REPLY = {"type": "object", "required": ["unit", "status", "answers"], "properties": {
    "unit": {"type": "string"}, "status": {"enum": ["on_time", "late", "missing", "pending"]},
    "status_name": {"type": "string"}, "item_id": {"type": ["string", "null"]},
    "submitted_at": {"type": ["string", "null"]}, "answers": {"type": "integer"}}}
SOLICITATION_OUT = {"type": "object", "required": ["id", "topic", "deadline", "units", "required_elements"],
                    "properties": {"id": {"type": "string"}, "topic": {"type": "string"},
                                   "deadline": {"type": "string"}, "units": {"type": "array"},
                                   "required_elements": {"type": "array"},
                                   "replies": {"type": "array", "items": REPLY},
                                   # on publishing one whose deadline has passed: its units count as 漏报 at once
                                   "warnings": {"type": "array", "items": {"type": "string"}}}}
STATS = {"type": "object", "required": ["period", "period_name", "totals", "units", "adopted", "solicitations",
                                        "criticised"],
         "properties": {"period": {"type": "string"}, "period_name": {"type": "string"}, "totals": {"type": "object"},
                        "units": {"type": "array", "items": {"type": "object", "required": [
                            "unit", "rank", "submitted", "adopted", "points", "adoption_rate", "flags",
                            "solicitations", "longest_silence_days", "bursts"]}},
                        "adopted": {"type": "array"}, "solicitations": {"type": "array"},
                        "criticised": {"type": "object"}}}
PERIOD = {"name": "period", "in": "query", "required": False,
          "description": "2026Q3（季度）、2026-07（月）或 2026（年）；默认上一个完整季度",
          "schema": {"type": "string", "pattern": r"^(20\d\d|2100)(Q[1-4]|-(0?[1-9]|1[0-2]))?$"}}
AS_OF = {"name": "as_of", "in": "query", "required": False, "description": "统计截至的时刻（默认现在）",
         "schema": STORED_DATETIME}


def _errors(*statuses: int) -> dict:
    return {str(s): {"description": "错误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for s in statuses}


def _json_body(ref: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}


def _ok(ref: str, status: str = "200") -> dict:
    return {status: {"description": "成功", "content": {"application/json": {"schema": {"$ref": ref}}}}}


def document(max_batch: int) -> dict:
    client_errors = (400, 401, 403, 413, 415, 422)
    return {
        "openapi": "3.1.0",
        "info": {"title": "政务信息报送前质量筛查 API", "version": "1.0.0"},
        "components": {
            "schemas": {
                "Draft": _draft_schema(), "Report": _report_schema(), "Error": ERROR,
                "Batch": {"type": "object", "required": ["drafts"], "properties": {
                    "drafts": {"type": "array", "maxItems": max_batch, "items": {"$ref": "#/components/schemas/Draft"}}}},
                "BatchReports": {"type": "object", "required": ["reports"], "properties": {
                    "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}}},
                "Outcome": OUTCOME,
                "OutcomeRecorded": {"type": "object", "required": ["item_id", "result", "points", "recorded"],
                                    "properties": {"item_id": {"type": "string"}, "result": {"type": "string"},
                                                   "points": {"type": "number"}, "recorded": {"type": "boolean"}}},
                "Labels": {"type": "object", "minProperties": 1, "anyOf": [{"required": ["low_value"]},
                                                                           {"required": ["elements"]}],
                           "properties": {"low_value": {"enum": list(LOW_VALUE_LABELS)},
                                          "elements": {"type": "array", "items": {"enum": list(ELEMENTS)}}}},
                "LabelsRecorded": {"type": "object", "required": ["item_id", "recorded"],
                                   "properties": {"item_id": {"type": "string"}, "recorded": {"type": "boolean"}}},
                "Job": {"type": "object", "required": ["id", "kind", "status"], "properties": {
                    "id": {"type": "string"}, "kind": {"type": "string"},
                    "status": {"enum": ["running", "done", "failed"]}, "result": {"type": ["object", "null"]},
                    "created_at": {"type": "string"}, "finished_at": {"type": ["string", "null"]}}},
                "Stored": {"type": "object", "required": ["id", "seq", "report"], "properties": {
                    "id": {"type": "string"}, "seq": {"type": "integer"},
                    "report": {"$ref": "#/components/schemas/Report"}}},
                "Unit": UNIT,
                "Units": {"type": "object", "required": ["units"], "properties": {
                    "units": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Unit"}}}},
                "UnitList": {"type": "object", "required": ["units"], "properties": {"units": {"type": "array", "items": {
                    "type": "object", "required": ["name", "type", "type_name", "missing_roles"]}}}},
                "UnitsSaved": {"type": "object", "required": ["saved", "unchanged"], "properties": {
                    "saved": {"type": "integer"}, "unchanged": {"type": "integer"}}},
                "Solicitation": SOLICITATION,
                "SolicitationOut": SOLICITATION_OUT,
                "Solicitations": {"type": "object", "required": ["solicitations"], "properties": {
                    "solicitations": {"type": "array", "items": {"$ref": "#/components/schemas/SolicitationOut"}}}},
                "Stats": STATS,
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}, {}],
        "paths": {
            "/api/v1/screen": {"post": {"summary": "筛查一篇草稿", "requestBody": _json_body("#/components/schemas/Draft"),
                                        "responses": {**_ok("#/components/schemas/Report"), **_errors(*client_errors, 404)}}},
            "/api/v1/screen/batch": {"post": {"summary": "批量筛查（按顺序返回）",
                                              "requestBody": _json_body("#/components/schemas/Batch"),
                                              "responses": {**_ok("#/components/schemas/BatchReports"),
                                                            **_errors(*client_errors, 404)}}},
            "/api/v1/items": {"post": {"summary": "登记已报送的信息（之后的草稿与之查重）",
                                       "requestBody": _json_body("#/components/schemas/Draft"),
                                       "responses": {**_ok("#/components/schemas/Stored", "201"),
                                                     **_errors(*client_errors, 404, 409)}}},
            "/api/v1/items/{item_id}/outcome": {"post": {
                "summary": "记录编辑的决定：采用（刊物、单篇/动态）或退回（原因）", "parameters": [ITEM_ID],
                "requestBody": _json_body("#/components/schemas/Outcome"),
                "responses": {**_ok("#/components/schemas/OutcomeRecorded", "201"),
                              **_ok("#/components/schemas/OutcomeRecorded", "200"),
                              # 409: decided_at before the item's submission
                              **_errors(*client_errors, 404, 409)}}},
            "/api/v1/items/{item_id}/labels": {"post": {
                "summary": "编辑更正标注（低价值类别、六要素）", "parameters": [ITEM_ID],
                "requestBody": _json_body("#/components/schemas/Labels"),
                "responses": {**_ok("#/components/schemas/LabelsRecorded", "201"), **_errors(*client_errors, 404)}}},
            "/api/v1/retrain": {"post": {
                "summary": "在后台启动再训练（与 screening retrain 相同），返回任务编号",
                "responses": {"202": {"description": "已启动", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["job", "status"],
                    "properties": {"job": {"type": "string"}, "status": {"type": "string"}}}}}},
                    **_errors(401, 403)}}},
            "/api/v1/jobs/{job_id}": {"get": {
                "summary": "后台任务（再训练）的状态和结果",
                "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 32}}],
                "responses": {**_ok("#/components/schemas/Job"), **_errors(401, 403, 404)}}},
            "/api/v1/units": {
                "get": {"summary": "报送单位名单", "responses": {**_ok("#/components/schemas/UnitList"), **_errors(401, 403)}},
                "post": {"summary": "新增或更新单位（名称、类型、分管领导、信息员）",
                         "requestBody": _json_body("#/components/schemas/Units"),
                         "responses": {**_ok("#/components/schemas/UnitsSaved"), **_errors(*client_errors, 409)}}},
            "/api/v1/solicitations": {
                "get": {"summary": "全部约稿", "responses": {**_ok("#/components/schemas/Solicitations"),
                                                         **_errors(401, 403)}},
                "post": {"summary": "发布约稿（主题、要素、截止时间、约稿单位）",
                         "requestBody": _json_body("#/components/schemas/Solicitation"),
                         "responses": {**_ok("#/components/schemas/SolicitationOut", "201"),
                                       **_errors(*client_errors, 404, 409)}}},
            "/api/v1/solicitations/{solicitation_id}": {"get": {
                "summary": "约稿及各单位按时、迟报、漏报情况",
                "parameters": [{"name": "solicitation_id", "in": "path", "required": True,
                                "schema": {"type": "string", "maxLength": 64}}, AS_OF],
                "responses": {**_ok("#/components/schemas/SolicitationOut"), **_errors(400, 401, 403, 404, 422)}}},
            "/api/v1/stats": {"get": {
                "summary": "按单位统计一个时期：报送、采用、积分、提示、约稿、最长未报、扎堆报送", "parameters": [PERIOD, AS_OF],
                "responses": {**_ok("#/components/schemas/Stats"), **_errors(400, 401, 403, 422)}}},
            "/api/v1/report": {"get": {
                "summary": "季度通报（HTML、PDF 或 Word）",
                "parameters": [PERIOD, AS_OF, {"name": "format", "in": "query", "required": False,
                                               "schema": {"enum": list(REPORT_TYPES), "default": "html"}}],
                "responses": {"200": {"description": "通报", "content": {
                    mimetype: {"schema": {"type": "string"}} for mimetype in REPORT_TYPES.values()}},
                              **_errors(400, 401, 403, 422)}}},
            "/api/v1/openapi.json": {"get": {"summary": "本文档", "responses": {"200": {"description": "OpenAPI 文档"}}}},
        },
    }
