"""The ``screening`` command: a thin layer that parses arguments and calls library functions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from .draft import CHINA_TZ
from .errors import DraftError, ModelIntegrityError, describe_os_error
from .io import DOCUMENT_SUFFIXES, SURROGATE
from .report import ELEMENT_NAMES, ELEMENTS, Report
from .settings import Settings

if TYPE_CHECKING:
    from .duplicates import DuplicateFinder
    from .io import ImportReport
    from .reporting.stats import PeriodStats
    from .store.db import Store

EXIT_USAGE = 2
VERDICT_NAMES = {"pass": "通过", "revise": "需修改", "reject": "不宜报送"}
LOW_VALUE_NAMES = {"none": "非低价值", "meeting": "会议学习类", "visit": "领导调研类"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


# argparse's own messages, in the officers' language (the rest of the message — names, values — is kept)
ARGPARSE_MESSAGES = (
    (r"the following arguments are required: ", "缺少参数："),
    (r"unrecognized arguments: ", "无法识别的参数："),
    (r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)", r"参数 \1 的值 \2 无效（可选：\3）"),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"参数 \1 的值 \3 不是有效的 \2"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): (?=\S*[\u4e00-\u9fff])", r"参数 \1："),  # our own types' messages are Chinese already
    (r"不是有效的 int$", "不是整数"),
    (r"不是有效的 float$", "不是数字"),
)


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words (usage, options, -h) in the officers' language too."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:  # argparse ends section titles with a half-width colon
        return re.sub(r"^(位置参数|选项|[^\s:：][^:\n]*?):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> None:  # argparse exits 2 too; say it in the officers' language
        for pattern, chinese in ARGPARSE_MESSAGES:
            message = re.sub(pattern, chinese, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"screening：参数错误：{message}\n")


def load_settings(path: str | None) -> Settings:
    """Defaults < the ``--settings`` TOML file < ``SCREENING_<NAME>`` variables, as the service reads them."""
    try:
        return Settings.load(path, os.environ)
    except OSError as exc:
        raise DraftError("settings", f"无法读取设置文件 {path}：{describe_os_error(exc)}") from None
    except (KeyError, ValueError) as exc:
        where = f"设置文件 {path} 或环境变量" if path else "环境变量"
        raise DraftError("settings", f"{where}有误：{exc.args[0] if exc.args else exc}") from None


def build_screener(args: argparse.Namespace, history_path: str | None = None):
    from .engine import Screener
    from .models.loading import load_judges
    from .duplicates import DuplicateFinder

    settings = load_settings(getattr(args, "settings", None))
    history = None
    if history_path:
        read = read_history(history_path)
        if read.drafts:  # an empty history: nothing to repeat, no duplicate to find
            with naming_file(f"--history 文件 {history_path}"):
                history = DuplicateFinder.in_memory(read.drafts, place=read.place)
    judges = load_judges(settings, rules_only=getattr(args, "rules", False))
    return Screener(settings, history=history, **judges)


def format_text(report: Report, title: str) -> str:
    from .checks import code_name

    lines = [f"《{title}》", f"结论：{VERDICT_NAMES[report.verdict]}"]
    lv = report.low_value
    lines.append(f"低价值判断：{LOW_VALUE_NAMES[lv.label]}（" + "，".join(
        f"{LOW_VALUE_NAMES[k]} {v:.0%}" for k, v in lv.probabilities.items()) + "）")
    lines.append("六要素：" + "  ".join(
        f"{ELEMENT_NAMES[k]}{'✓' if report.elements[k].present else '✗'}" for k in ELEMENTS))
    if report.duplicates:
        for d in report.duplicates:
            lines.append(f"疑似重复：《{d.get('title', '')}》（编号 {d['id']}）相似度 {d['similarity']:.0%}")
    if not report.flags:
        lines.append("未发现需要提示的问题。")
    for f in report.flags:
        lines.append(f"[{SEVERITY_NAMES[f.severity]}] {code_name(f.code)}（{f.code}）：{f.message}")
        if f.suggestion:
            lines.append(f"    建议：{f.suggestion}")
    lines.append(f"模型：{report.model_version}，耗时 {report.elapsed_ms:.1f} 毫秒")
    return "\n".join(lines)


def read_history(path: str):
    """The earlier items of ``--history`` (a DraftFile): every one needs an id and its submission
    time. An empty file is an empty history (a unit's first item has none); a file that cannot be
    read is an error about ``history``, the option that named it."""
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        raise DraftError("history", f"--history 应为 .jsonl 文件（每行一条带 id、submitted_at 的信息）：{path}")
    try:
        read = read_drafts_or_report(path, required=("id", "submitted_at"), allow_empty=True)
    except DraftError as exc:
        if exc.field != "file":
            raise
        raise DraftError("history", f"--history：{exc.message}", exc.status, exc.line) from None
    if read is None:
        raise DraftError("history", f"--history 文件 {path} 有错误（见上）")
    return read


@contextmanager
def naming_file(name: str) -> Iterator[None]:
    """A DraftError about the drafts of a file says which file: an officer may pass several."""
    try:
        yield
    except DraftError as exc:
        raise DraftError(exc.field, f"{name}：{exc.message}", exc.status, exc.line) from None


def read_drafts_or_report(path: str, required: Sequence[str] = (), allow_empty: bool = False):
    """The drafts of a file, or None after printing every bad line (line and field) to stderr; an
    empty file is an error too unless ``allow_empty``."""
    from .io import read_drafts

    read, errors = read_drafts(path, required)
    for err in errors:
        print(f"screening：{path}：{err}", file=sys.stderr)
    if not read.drafts and not errors and not allow_empty:  # more likely the wrong file than nothing to do
        print(f"screening：{path}：文件中没有草稿（每行一篇 JSON）", file=sys.stderr)
        return None
    return None if errors else read


def cmd_screen(args: argparse.Namespace) -> int:
    read = read_drafts_or_report(args.file)
    if read is None:
        return EXIT_USAGE
    drafts = read.drafts
    from .submission import check_solicitations, screen_for

    screener = build_screener(args, args.history)
    # A pre-check must work on a machine that has no store. A reply to a solicitation is checked
    # against that solicitation's terms, from --database or the store the settings name (an unknown
    # one is refused); with no store at all, against 约稿's usual terms, and the officer is told so.
    answering = sorted({d.solicitation for d in drafts if d.solicitation})
    store = open_store(args, reading=True) if args.database or (answering and _has_store(args)) else None
    if answering and store is None:
        print(f"screening：本机没有信息库，无法查到约稿 {answering[0]} 要求的要素，按约稿通常要求（六要素）检查；"
              "要按该约稿的要求检查，请用 --database 指定信息库", file=sys.stderr)
    out = sys.stdout
    fmt = args.format or ("text" if Path(args.file).suffix.lower() in DOCUMENT_SUFFIXES else "json")
    try:
        if store is not None:
            check_solicitations(store, drafts, place=read.place)
        for draft in drafts:
            report = screen_for(screener, draft, store)
            if fmt == "json":
                out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(format_text(report, draft.title) + "\n\n")
    finally:
        if store is not None:
            store.close()
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate

    screener = build_screener(args)
    result = evaluate(args.file, screener, args.gold)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_evaluation(result, show_errors=args.errors))
    return 0


def format_evaluation(result: dict, show_errors: bool = False) -> str:
    lines = []
    if result["format"] == "drafts":
        lv = result["low_value"]
        lines.append(f"低价值（low_value）n={result['n']}  macro-F1 = {lv['macro_f1']:.3f}")
        lines.append(f"  {'类别':<10}{'精确率':>8}{'召回率':>8}{'F1':>8}{'样本':>6}")
        for name, c in lv["classes"].items():
            lines.append(f"  {name:<12}{c['precision']:>8.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}{c['support']:>6}")
        lines.append(f"  混淆矩阵（行=标注，列=预测，{'/'.join(lv['confusion']['labels'])}）：{lv['confusion']['matrix']}")
        el = result["elements"]
        lines.append(f"要素（elements）macro-F1 = {el['macro_f1']:.3f}")
        for name, c in el["per_element"].items():
            lines.append(f"  {name:<15}{c['precision']:>8.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}{c['support']:>6}")
    elif result["format"] == "timeliness":
        lines.append(f"迟报（late）n={result['n']}  accuracy = {result['late_accuracy']:.3f}  macro-F1 = {result['late']['macro_f1']:.3f}")
        for name, c in result["late"]["classes"].items():
            lines.append(f"  late={name:<7}{c['precision']:>8.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}{c['support']:>6}")
    else:
        lines.append(f"重复（duplicate）precision = {result['precision']:.3f}  recall = {result['recall']:.3f}  F1 = {result['f1']:.3f}")
        for how, c in result["by_how"].items():
            lines.append(f"  {how:<22}{c['correct']}/{c['n']}")
    if show_errors:
        for e in result["errors"]:
            lines.append("  错例：" + json.dumps(e, ensure_ascii=False))
    return "\n".join(lines)


def cmd_train(args: argparse.Namespace) -> int:
    from .models.train import train

    if args.folds == 1 or args.folds < 0:
        raise DraftError("folds", "--folds 应为 0（不做交叉验证）或不小于 2 的整数")
    corpus = Path(args.corpus) if args.corpus else None
    if corpus is not None and (not corpus.is_dir() or not any(corpus.glob("*.jsonl"))):
        raise DraftError("corpus", f"语料目录 {corpus} 不存在或其中没有 .jsonl 文件")
    eval_sets = []
    for spec in args.eval or []:  # checked before the minutes of training, not after
        name, sep, rest = spec.partition("=")
        path, _, gold = rest.partition(":")
        if not sep or not name or not path:
            raise DraftError("eval", f"--eval 应写成 名称=标注集.jsonl[:gold.jsonl]，实际是 {spec!r}")
        for file in filter(None, (path, gold)):
            if not Path(file).is_file():
                raise DraftError("eval", f"找不到评估文件 {file}")
        eval_sets.append((name, Path(path), Path(gold) if gold else None))
    model, meta = train(corpus, Path(args.models) if args.models else None,
                        folds=args.folds, eval_sets=eval_sets, make_current=not args.no_promote)
    cv = meta["cv"]
    print(f"模型 {model.version}：训练样本 {meta['training_data']['items']} 篇")
    if "low_value" in cv:
        print(f"交叉验证（{cv['folds']} 折，按撰稿人分组）：low_value macro-F1 {cv['low_value']['macro_f1']:.3f}，"
              f"要素 macro-F1 {cv['elements_macro_f1']:.3f}，采用预测 macro-F1 {cv['adoption']['macro_f1']:.3f}")
    for name, result in meta["eval"].items():
        if result.get("format") == "drafts":
            print(f"{name}：low_value macro-F1 {result['low_value']['macro_f1']:.3f}，要素 macro-F1 {result['elements']['macro_f1']:.3f}")
    return 0


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    from .models.datacard import corpus_stats, markdown

    print(markdown(corpus_stats(Path(args.corpus) if args.corpus else None)))
    return 0


def cmd_corpus_check(args: argparse.Namespace) -> int:
    from .models.corpus import default_corpus_dir
    from .models.leakage import drop_overlapping, overlaps

    corpus = default_corpus_dir().parent
    evaluation = Path(args.eval)
    if not evaluation.is_dir() or not any(evaluation.rglob("*.jsonl")):
        raise DraftError("eval", f"评估集目录 {evaluation} 不存在或其中没有 .jsonl 文件：无从检查")
    if args.drop:
        removed = drop_overlapping(corpus, evaluation)
        print(f"已删除 {len(removed)} 条与评估集共享长片段的语料：{' '.join(removed)}")
        return 0
    found = overlaps(corpus, evaluation)
    for path, line, shared in found:
        print(f"{path}:{line}：与评估集共享 {shared} 个 12 字片段")
    if not found:
        print(f"未发现与评估集（{evaluation}）共享长片段的训练语料")
    return 1 if found else 0


def store_settings(args: argparse.Namespace) -> Settings:
    """The settings, with ``--database`` (when given) choosing the store; read once per command."""
    if not hasattr(args, "_store_settings"):
        settings = load_settings(getattr(args, "settings", None))
        if getattr(args, "database", None):
            settings = Settings.from_mapping({**settings.values, "database_url": args.database})
        args._store_settings = settings
    return args._store_settings


def _has_store(args: argparse.Namespace) -> bool:
    """Whether the settings name a database, or the instance folder already holds its SQLite file."""
    from .settings import INSTANCE_DATABASE

    settings = store_settings(args)
    return bool(settings["database_url"]) or (Path(settings["instance_path"]) / INSTANCE_DATABASE).is_file()


def open_store(args: argparse.Namespace, reading: bool = False) -> "Store":
    """The store the settings or ``--database`` name. ``reading``: the command only reads, so a
    ``--database`` SQLite file that does not exist is a mistyped path, not a new empty store."""
    from .settings import database_url
    from .store.db import Store

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

    url = database_url(store_settings(args))
    if reading and getattr(args, "database", None):
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):
            parsed = None
        if parsed is not None and parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
                and not Path(parsed.database).is_file():
            raise DraftError("database", f"数据库文件 {parsed.database} 不存在（此命令不会新建数据库，请检查路径）")
    try:
        return Store(url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        why = ("无法连接（数据库服务未运行、文件路径不存在或没有权限）" if isinstance(exc, OperationalError)
               else "地址格式无效或不支持这种数据库（支持 SQLite 和 PostgreSQL）")
        try:
            shown = make_url(url).render_as_string(hide_password=True)
        except (SQLAlchemyError, ValueError):
            shown = "（无法解析的地址）"
        raise DraftError("database", f"无法打开数据库 {shown}：{why}") from None


def open_finder(args: argparse.Namespace, reading: bool = False) -> "DuplicateFinder":
    from .duplicates import DuplicateFinder
    from .settings import index_snapshot

    return DuplicateFinder(open_store(args, reading), index_snapshot(store_settings(args)))


def cmd_items_add(args: argparse.Namespace) -> int:
    from .engine import Screener
    from .models.loading import load_judges
    from .submission import check_solicitations, submit

    read = read_drafts_or_report(args.file)
    if read is None:
        return EXIT_USAGE
    drafts = read.drafts
    finder = open_finder(args)
    # an id taken (in the store or earlier in the file) or an unknown solicitation: refused before storing any
    with naming_file(args.file):
        finder.store.check_ids(drafts, place=read.place)
        check_solicitations(finder.store, drafts, replies=True, place=read.place)
    settings = store_settings(args)
    screener = Screener(settings, history=finder, **load_judges(settings, rules_only=args.rules))
    # Each item is screened (for the statistics' flag counts) and committed before its id is printed.
    for item, _report in submit(screener, finder, drafts):
        print(item.id, flush=True)
    finder.save()
    return 0


def cmd_items_remove(args: argparse.Namespace) -> int:
    finder = open_finder(args)
    if not finder.remove(args.id):
        print(f"screening：没有编号为 {args.id} 的信息", file=sys.stderr)
        return EXIT_USAGE
    finder.save()
    print(f"已删除 {args.id}")
    return 0


def cmd_index_rebuild(args: argparse.Namespace) -> int:
    finder = open_finder(args, reading=True)
    print(f"查重索引已重建：{finder.rebuild()} 条信息")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # prometheus_client fixes its value storage when it is first imported, and importing the service
    # imports it: the workers' shared metrics folder must be named before that, or /metrics is empty.
    # (Already imported, in a process that embeds the CLI, the folder would only hide its counts.)
    if "prometheus_client" not in sys.modules:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="screening-metrics-"))
    from service.server import address_in_use, serve

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port), ("workers", args.workers)) if v is not None}
    try:  # a port or worker count out of range is refused here, before gunicorn starts
        settings = Settings.from_mapping({**load_settings(getattr(args, "settings", None)).values, **overrides})
    except ValueError as exc:
        raise DraftError("settings", str(exc)) from None
    taken = address_in_use(settings["host"], settings["port"])
    if taken:  # gunicorn would retry for seconds and then say so in English
        raise DraftError("port", f"无法监听 {settings['host']}:{settings['port']}：{taken}（换一个端口：--port）")
    return serve(overrides, getattr(args, "settings", None))


def cmd_keys_create(args: argparse.Namespace) -> int:
    store = open_store(args)
    key = store.create_key(args.name, [s.strip() for s in args.scopes.split(",") if s.strip()])
    print(key)
    print(f"已创建密钥“{args.name}”（权限：{args.scopes}）。密钥只显示这一次，请妥善保存。", file=sys.stderr)
    return 0


def _china_minute(stored: str) -> str:
    """A stored moment (ISO 8601 with its offset) as officers read times: Beijing time, to the minute."""
    return dt.datetime.fromisoformat(stored).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def cmd_keys_list(args: argparse.Namespace) -> int:
    for key in open_store(args, reading=True).list_keys():
        state = "已吊销" if key["revoked"] else "有效"
        print(f"{key['id']}\t{key['name']}\t{','.join(key['scopes'])}\t{_china_minute(key['created_at'])}\t{state}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    if not open_store(args, reading=True).revoke_key(args.id):
        print(f"screening：没有编号为 {args.id} 的有效密钥（用 screening keys list 查看）", file=sys.stderr)
        return EXIT_USAGE
    print(f"已吊销密钥 {args.id}；用它登录的页面会话已同时结束")
    return 0


def cmd_feedback_import(args: argparse.Namespace) -> int:
    from .feedback import import_feedback

    return print_import(import_feedback(open_store(args), Path(args.file)), args.file)


def print_import(report: "ImportReport", path: str) -> int:
    """The summary on stdout, each refused row on stderr (file, line and field, as the README says);
    exit 2 when any row was refused."""
    print(f"接受 {report.accepted} 行，已存在未变 {report.unchanged} 行，拒绝 {len(report.refused)} 行")
    for line, field, reason in report.refused:
        print(f"screening：{path}：第 {line} 行，字段 {field}：{reason}", file=sys.stderr)
    return EXIT_USAGE if report.refused else 0


def cmd_units_import(args: argparse.Namespace) -> int:
    from .units import import_units

    return print_import(import_units(open_store(args), Path(args.file)), args.file)


def cmd_units_list(args: argparse.Namespace) -> int:
    from .units import UNIT_TYPES, list_units

    units = list_units(open_store(args, reading=True))
    if args.json:
        for unit in units:
            print(json.dumps(unit.to_dict(), ensure_ascii=False))
        return 0
    for unit in units:
        lacking = f"（未明确{'、'.join(unit.missing_roles)}）" if unit.missing_roles else ""
        print(f"{unit.name}\t{UNIT_TYPES[unit.type]}\t分管领导 {unit.leader or '—'}\t信息员 {unit.officer or '—'}{lacking}")
    print(f"共 {len(units)} 个单位", file=sys.stderr)
    return 0


def parse_as_of(args: argparse.Namespace) -> "dt.datetime | None":
    from .draft import parse_day_end_or_moment

    return parse_day_end_or_moment(args.as_of, "--as-of") if getattr(args, "as_of", None) else None


def cmd_solicitations_create(args: argparse.Namespace) -> int:
    from .solicitations import Solicitation, create_solicitation, past_deadline_warning

    data = {"topic": args.topic, "deadline": args.deadline, "units": [u for u in re.split(r"[,，、]", args.units) if u.strip()],
            "id": args.id, "note": args.note}
    if args.elements is not None:  # --elements "" names no element: refused, not read as all six
        data["required_elements"] = [e.strip() for e in re.split(r"[,，、]", args.elements) if e.strip()]
    solicitation = Solicitation.from_dict(data)
    create_solicitation(open_store(args), solicitation)
    warning = past_deadline_warning(solicitation)
    if warning:
        print(f"screening：注意：{warning}", file=sys.stderr)
    print(solicitation.id)
    return 0


def cmd_solicitations_list(args: argparse.Namespace) -> int:
    from .solicitations import list_solicitations

    for sol in list_solicitations(open_store(args, reading=True)):
        print(f"{sol.id}\t{sol.topic}\t截止 {sol.deadline.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}\t{len(sol.units)} 个单位")
    return 0


def cmd_solicitations_show(args: argparse.Namespace) -> int:
    from .solicitations import get_solicitation, replies

    store = open_store(args, reading=True)
    sol = get_solicitation(store, args.id)
    answers = [r.to_dict() for r in replies(store, sol, parse_as_of(args))]
    if args.json:
        print(json.dumps({**sol.to_dict(), "replies": answers}, ensure_ascii=False))
        return 0
    print(f"{sol.topic}（{sol.id}），截止 {sol.deadline.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}，"
          f"要素：{'、'.join(ELEMENT_NAMES[e] for e in sol.required_elements)}")
    for r in answers:
        print(f"  {r['unit']}\t{r['status_name']}\t{r['item_id'] or ''}")
    return 0


def period_stats_for(args: argparse.Namespace) -> "PeriodStats":
    from .reporting.periods import Period
    from .reporting.stats import period_stats

    return period_stats(open_store(args, reading=True), Period.parse(args.period), parse_as_of(args), store_settings(args))


def cmd_stats(args: argparse.Namespace) -> int:
    from .reporting.stats import CRITICISMS, FLAG_FAMILIES

    stats = period_stats_for(args)
    if args.json:
        print(json.dumps(stats.to_dict(), ensure_ascii=False, indent=1))
        return 0
    t = stats.totals
    print(f"{stats.period.name}：报送 {t['submitted']} 条，采用 {t['adopted_items']} 条，积分 {t['points']:g}，"
          f"采用率 {t['adoption_rate'] * 100:.1f}%")
    print("名次\t单位\t报送\t采用\t积分\t采用率\t最长未报\t" + "\t".join(FLAG_FAMILIES.values()))
    for u in stats.units:
        print(f"{u.rank}\t{u.unit}\t{u.submitted}\t{u.adopted_items}\t{u.points:g}\t{u.adoption_rate * 100:.1f}%\t"
              f"{u.longest_silence_days}天\t" + "\t".join(str(u.flags[f]) for f in FLAG_FAMILIES))
    criticised = stats.criticised
    for key, heading, _text in CRITICISMS:
        if criticised[key]:
            print(f"{heading}：{'、'.join(criticised[key])}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .plotting import cjk_font
    from .reporting.bulletin import write_bulletin

    if cjk_font() is None:
        print("screening：警告：未找到中文字体（如 fonts-noto-cjk），通报中的图表文字可能无法显示", file=sys.stderr)
    stats = period_stats_for(args)
    try:
        settings = store_settings(args)
        paths = write_bulletin(stats, args.out, settings["report_issuer"], settings["emergency_late_hours"])
    except OSError as exc:
        raise DraftError("--out", f"无法写入 {args.out}：{describe_os_error(exc)}") from None
    for path in paths:
        print(path)
    return 0


def _models_dir(args: argparse.Namespace) -> Path:
    from .models.loading import models_dir

    folder = models_dir(load_settings(getattr(args, "settings", None)))
    if not folder.is_dir():
        raise ModelIntegrityError(f"模型目录 {folder} 不存在")
    return folder


def cmd_models_list(args: argparse.Namespace) -> int:
    from .models.registry import versions

    def fig(value) -> str:  # a retrained version has no cross-validation figures
        return f"{value:.3f}" if isinstance(value, (int, float)) else "—"

    for v in versions(_models_dir(args)):
        evals = "  ".join(f"{k}: 低价值 {fig(e['low_value'])} 要素 {fig(e['elements'])}" for k, e in v["eval"].items()
                          if e["low_value"] is not None)
        print(f"{'*' if v['current'] else ' '} {v['version']}  {v['created']}  样本 {v['items']}  "
              f"CV 低价值 {fig(v['cv_low_value'])} 要素 {fig(v['cv_elements'])}  {evals}")
    return 0


def cmd_models_promote(args: argparse.Namespace) -> int:
    from .models.artifact import current_version
    from .models.registry import promote

    folder = _models_dir(args)
    plain_name = bool(args.version) and not args.version.startswith(".") and Path(args.version).name == args.version
    if not plain_name or not (folder / args.version).is_dir():
        print(f"screening：没有模型版本 {args.version!r}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args)  # before switching: a switch the audit cannot record is no switch
    previous = current_version(folder)
    promote(folder, args.version)
    store.record_model(args.version, "manual_promote", {"from": previous})
    print(f"当前模型：{args.version}")
    return 0


def cmd_models_rollback(args: argparse.Namespace) -> int:
    from .models.artifact import current_version
    from .models.registry import rollback

    folder = _models_dir(args)
    store = open_store(args)  # before switching: a retried "failed" rollback would step back twice
    previous = current_version(folder)
    try:
        version = rollback(folder)
    except ValueError as exc:
        print(f"screening：{exc}", file=sys.stderr)
        return EXIT_USAGE
    store.record_model(version, "rolled_back", {"from": previous})
    print(f"已回退到：{version}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number above zero, refused in Chinese otherwise."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


AUDIT_ACTIONS = {"promoted": "再训练后启用", "refused": "再训练后未启用", "served": "服务启动",
                 "manual_promote": "手动启用", "rolled_back": "回退到此版本", "loaded": "服务切换到此版本",
                 "load_failed": "服务未能加载，仍用原版本"}


def cmd_models_audit(args: argparse.Namespace) -> int:
    rows = open_store(args, reading=True).model_audit(args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    for row in rows:
        at = _china_minute(row["at"])
        details = row["details"]
        said = ""
        if row["action"] in ("promoted", "refused"):
            said = f"反馈 {details.get('feedback_items', 0)} 条，原模型 {details.get('current') or '无'}"
            if details.get("failed"):
                said += "；未启用原因：" + "；".join(details["failed"])
        elif details.get("from"):
            said = f"原模型 {details['from']}"
        print(f"{at}  {row['version']:<20}{AUDIT_ACTIONS.get(row['action'], row['action'])}  {said}".rstrip())
    if not rows:
        print("模型审计记录为空（再训练和服务启动时记录）")
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from .models.retrain import retrain

    finder = open_finder(args, reading=True)  # training from a mistyped, empty store would promote a model
    result = retrain(finder.store, load_settings(getattr(args, "settings", None)), _models_dir(args))
    verdict = "已启用" if result["promoted"] else "未启用（" + "；".join(result["failed"]) + "）"
    print(f"候选模型 {result['candidate']}：{verdict}" if result["candidate"] else f"未训练：{'；'.join(result['failed'])}")
    print(f"反馈 {result['feedback_items']} 条（训练 {result['feedback_trained']}，留作检验 {result['feedback_held_out']}）")
    for who, splits in result["figures"].items():
        for split, fig in splits.items():
            print(f"  {who:<9} {split:<8} " + "  ".join(f"{k} {v}" for k, v in fig.items()))
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from .checks import all_codes, code_name, explain

    table = all_codes()
    if args.code is None:
        width = max(map(len, table)) + 2
        for code, check in sorted(table.items()):
            print(f"{code:<{width}}{check.codes[code]:<9}{check.since:<8}{code_name(code)}")
        return 0
    text = explain(args.code)
    if text is None:
        print(f"screening：未知的提示代码 {args.code}；可用 screening rule 查看全部代码", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return 0


def add_database(parser: argparse.ArgumentParser, what: str = "数据库地址") -> None:
    """The ``--database`` option of a command that reads or writes the store."""
    parser.add_argument("--database", help=f"{what}（默认实例目录中的 SQLite）")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="screening", description="政务信息报送前质量筛查")
    parser.add_argument("--settings", help="TOML 设置文件（覆盖默认阈值和要素要求）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ChineseArgumentParser)

    p = sub.add_parser("screen", help="筛查草稿：.jsonl 每行一篇，或 .txt / .docx（首行/首段为标题，其余为正文）")
    p.add_argument("file", help="输入文件")
    p.add_argument("--history", help="历史信息 .jsonl（需含 id、submitted_at），用于查重")
    p.add_argument("--format", choices=["json", "text"], help="输出格式：json（每行一份报告）或 text（中文摘要）；默认 .jsonl 为 json，.txt/.docx 为 text")
    p.add_argument("--database", help="信息库地址：稿件注明所答约稿（solicitation）时，按该约稿要求的要素检查"
                                      "（不给出时用设置中的库或实例目录中已有的库；都没有则按约稿通常要求检查并提示）")
    p.add_argument("--rules", action="store_true", help="只用规则，不加载训练模型")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("evaluate", help="在标注集上评估：每类精确率、召回率、F1")
    p.add_argument("file", help="输入文件")
    p.add_argument("--gold", help="单独的标注文件（如 real/gold.jsonl）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--errors", action="store_true", help="列出错例")
    p.add_argument("--rules", action="store_true", help="只用规则，不加载训练模型")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="从 training_data/ 训练模型：交叉验证、评估、保存新版本")
    p.add_argument("--corpus", help="语料目录（默认 training_data/drafts）")
    p.add_argument("--models", help="模型目录（默认 models/）")
    p.add_argument("--folds", type=int, default=5, help="交叉验证折数（按撰稿人分组，默认 5）")
    p.add_argument("--eval", action="append", metavar="NAME=SET.jsonl[:GOLD.jsonl]", help="训练后评估的标注集，可多次给出")
    p.add_argument("--no-promote", action="store_true", help="只保存，不设为当前模型")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("corpus-stats", help="训练语料统计（数据卡用）：各标签、要素、类型、主题、长度的数量")
    p.add_argument("--corpus", help="语料目录（默认 training_data/drafts）")
    p.set_defaults(func=cmd_corpus_stats)

    p = sub.add_parser("corpus-check", help="检查训练语料与评估集是否共享长片段（评估集绝不能进入训练）")
    p.add_argument("--eval", default="../shared/eval", help="评估集目录")
    p.add_argument("--drop", action="store_true", help="删除与评估集共享长片段的语料条目")
    p.set_defaults(func=cmd_corpus_check)

    items = sub.add_parser("items", help="管理已报送信息库（查重的历史）").add_subparsers(
        dest="items_command", required=True, parser_class=ChineseArgumentParser)
    p = items.add_parser("add", help="把 .jsonl 中的信息逐条筛查后存入库中，每存一条打印其编号")
    p.add_argument("file", help="输入文件")
    add_database(p)
    p.add_argument("--rules", action="store_true", help="筛查只用规则，不加载训练模型")
    p.add_argument("--batch", type=int, help=argparse.SUPPRESS)  # accepted for old scripts: items now commit one by one
    p.set_defaults(func=cmd_items_add)
    p = items.add_parser("remove", help="从库和查重索引中删除一条信息")
    p.add_argument("id", help="信息编号")
    add_database(p)
    p.set_defaults(func=cmd_items_remove)
    feedback = sub.add_parser("feedback", help="编辑的采用/退回决定").add_subparsers(
        dest="feedback_command", required=True, parser_class=ChineseArgumentParser)
    p = feedback.add_parser("import", help="导入报送系统导出的决定（JSONL 或 CSV），重复导入不重复记录")
    p.add_argument("file", help="输入文件")
    add_database(p)
    p.set_defaults(func=cmd_feedback_import)

    index = sub.add_parser("index", help="查重索引").add_subparsers(
        dest="index_command", required=True, parser_class=ChineseArgumentParser)
    p = index.add_parser("rebuild", help="从库中重建查重索引")
    add_database(p)
    p.set_defaults(func=cmd_index_rebuild)

    p = sub.add_parser("serve", help="启动 HTTP 服务（gunicorn，默认只监听本机）")
    p.add_argument("--host", help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0）")
    p.add_argument("--port", type=int, help="端口（默认 8000）")
    p.add_argument("--workers", type=int, help="工作进程数（默认 2）")
    p.set_defaults(func=cmd_serve)

    keys = sub.add_parser("keys", help="API 密钥").add_subparsers(
        dest="keys_command", required=True, parser_class=ChineseArgumentParser)
    p = keys.add_parser("create", help="创建 API 密钥（只保存其哈希）")
    p.add_argument("--name", required=True, help="密钥名称（如报送系统、信息科）")
    p.add_argument("--scopes", default="screen", help="权限，逗号分隔：screen、submit、editor、admin（默认 screen）")
    add_database(p)
    p.set_defaults(func=cmd_keys_create)
    p = keys.add_parser("list", help="列出全部密钥（编号、名称、权限、创建时间、是否吊销；不显示密钥本身）")
    add_database(p)
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser("revoke", help="吊销一个密钥（按 keys list 的编号），并结束用它登录的页面会话")
    p.add_argument("id", type=int, help="密钥编号（见 keys list）")
    add_database(p)
    p.set_defaults(func=cmd_keys_revoke)

    models = sub.add_parser("models", help="模型版本：列出、启用、回退").add_subparsers(
        dest="models_command", required=True, parser_class=ChineseArgumentParser)
    models.add_parser("list", help="列出全部版本及其成绩（* 为当前）").set_defaults(func=cmd_models_list)
    p = models.add_parser("promote", help="启用一个版本（运行中的服务无需重启即切换）")
    p.add_argument("version", help="模型版本（见 models list）")
    add_database(p, "记入哪个数据库的模型审计")
    p.set_defaults(func=cmd_models_promote)
    p = models.add_parser("rollback", help="回退到上一个启用过的版本")
    add_database(p, "记入哪个数据库的模型审计")
    p.set_defaults(func=cmd_models_rollback)
    p = models.add_parser("audit", help="模型审计记录：每次再训练的候选模型是否启用及原因、服务启动时的模型")
    p.add_argument("--limit", type=positive_int, default=50, help="显示最近多少条（默认 50）")
    p.add_argument("--json", action="store_true", help="输出 JSON（每行一条，含全部指标）")
    add_database(p)
    p.set_defaults(func=cmd_models_audit)

    p = sub.add_parser("retrain", help="用语料和编辑反馈训练候选模型，只有不比当前模型差时才启用")
    add_database(p)
    p.set_defaults(func=cmd_retrain)

    units = sub.add_parser("units", help="报送单位名单（类型、分管领导、信息员）").add_subparsers(
        dest="units_command", required=True, parser_class=ChineseArgumentParser)
    p = units.add_parser("import", help="从 CSV 导入单位名单（列：单位,类型,分管领导,信息员[,电话]），可重复导入")
    p.add_argument("file", help="输入文件")
    add_database(p)
    p.set_defaults(func=cmd_units_import)
    p = units.add_parser("list", help="列出单位")
    add_database(p)
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_units_list)

    sols = sub.add_parser("solicitations", help="约稿：发布、列出、查看各单位报送情况").add_subparsers(
        dest="solicitations_command", required=True, parser_class=ChineseArgumentParser)
    p = sols.add_parser("create", help="发布约稿")
    p.add_argument("--topic", required=True, help="约稿主题")
    p.add_argument("--deadline", required=True, help="截止时间：2026-09-30（当天 24 时）或 ISO 日期时间")
    p.add_argument("--units", required=True, help="约稿对象单位，用逗号或顿号分隔（须已登记）")
    p.add_argument("--elements", help="要求的要素代码，逗号分隔：situation、problem、case、data、analysis、recommendation（默认六要素全部）")
    p.add_argument("--id", help="约稿编号（默认自动生成）")
    p.add_argument("--note", help="约稿说明")
    add_database(p)
    p.set_defaults(func=cmd_solicitations_create)
    p = sols.add_parser("list", help="列出约稿")
    add_database(p)
    p.set_defaults(func=cmd_solicitations_list)
    p = sols.add_parser("show", help="某个约稿各单位按时、迟报、漏报情况")
    p.add_argument("id", help="约稿编号")
    p.add_argument("--as-of", help="以此时刻判断是否逾期（默认现在）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_database(p)
    p.set_defaults(func=cmd_solicitations_show)

    p = sub.add_parser("stats", help="按单位统计一个时期：报送、采用、积分、提示、约稿、最长未报天数、扎堆报送")
    p.add_argument("--period", required=True, help="2026Q3（季度）、2026-07（月）或 2026（年）")
    p.add_argument("--as-of", help="统计截至的时刻（默认现在）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_database(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("report", help="生成季度通报（HTML、PDF 和 Word）")
    p.add_argument("--period", required=True, help="2026Q3（季度）、2026-07（月）或 2026（年）")
    p.add_argument("--out", default=".", help="输出目录（默认当前目录）")
    p.add_argument("--as-of", help="统计截至的时刻（默认现在）")
    add_database(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rule", help="列出全部提示代码，或查看某个代码的说明")
    p.add_argument("code", nargs="?", help="提示代码（如 late、missing.case）、代码前缀（missing、title）或中文名称（迟报）；不写则列出全部")
    p.set_defaults(func=cmd_rule)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    # Bytes that are not UTF-8 in an argument reach Python as lone surrogates: no name, topic or
    # id can hold them (they cannot be printed, stored or compared with what the office typed).
    bad = next((a for a in argv if SURROGATE.search(a)), None)
    if bad is not None:
        print(f"screening：参数错误：参数 {bad.encode('utf-8', 'replace').decode('utf-8')!r} 不是有效的 UTF-8 文本",
              file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (DraftError, ModelIntegrityError) as exc:
        print(f"screening：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("screening：已中断", file=sys.stderr)
        return 130
    except OSError as exc:
        # the machine failed, not the input (disk full, a read-only instance folder): exit 1, in Chinese
        where = f"（{exc.filename}）" if exc.filename else ""
        print(f"screening：{describe_os_error(exc)}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
