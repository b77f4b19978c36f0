"""Reading the bank's ISO 20022 reports safely, each checked against its schema first.

The schemas ship with the package (schemas/README.md says where they come from). A file
is parsed without network, DTD or entity expansion (a report is untrusted input), and
is refused whole, with the schema's first complaint, unless it validates: half a report
is never read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from lxml import etree

from econ.errors import DomainError
from econ.stipends.errors import StipendCode
from econ.stipends.files.results import MAX_FILE_BYTES, ResultRow, ResultStatus, clean_reason

SCHEMAS = resources.files("econ.stipends.files") / "schemas"
PAIN002 = "pain.002.001.03"
CAMT054 = "camt.054.001.02"
NAMESPACES = {f"urn:iso:std:iso:20022:tech:xsd:{name}": name for name in (PAIN002, CAMT054)}

# Our files by their MsgId (= PmtInfId): the end-to-end ids each one carried. A report
# that speaks of a whole file or batch, not of its transactions, is read through it.
Batches = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Unmatched:
    """Something in a report that names none of our transactions: listed for a person."""

    line_number: int
    identifier: str  # the batch or message id, or "" when the bank gave none
    status: ResultStatus
    detail: str


@dataclass(frozen=True)
class BankReport:
    """What one report says: an outcome per transaction, and what could not be matched."""

    message_type: str  # "pain.002.001.03", "camt.054.001.02" or "csv"
    message_id: str | None
    rows: tuple[ResultRow, ...]
    unmatched: tuple[Unmatched, ...] = ()


@cache
def schema(message_type: str) -> etree.XMLSchema:
    with resources.as_file(SCHEMAS / f"{message_type}.xsd") as path:
        return etree.XMLSchema(etree.parse(str(path), _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_document(data: bytes | str, expected: str) -> etree._Element:
    """The root of a valid `expected` document, or DomainError(INVALID_RESULT_FILE)."""
    root = read_xml(data)
    found = message_type(root)
    if found != expected:
        raise invalid(f"this is not a {expected} message (found {found or 'another XML'})")
    checker = schema(expected)
    if not checker.validate(root):
        error = checker.error_log.last_error
        raise invalid(f"line {error.line}: not valid {expected}: {_plain(error.message)}")
    return root


def read_xml(data: bytes | str) -> etree._Element:
    if len(data) > MAX_FILE_BYTES:
        raise invalid(f"the file is larger than {MAX_FILE_BYTES} bytes")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        tree = etree.fromstring(raw, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise invalid(f"line {exc.lineno}: not well-formed XML ({_plain(exc.msg)})") from None
    if tree.docinfo.doctype:
        raise invalid("a bank report has no document type declaration")
    return tree.getroot()


def message_type(root: etree._Element) -> str | None:
    """ "pain.002.001.03" for a <Document> in that namespace, else None."""
    qname = etree.QName(root)
    return NAMESPACES.get(qname.namespace or "") if qname.localname == "Document" else None


class Reader:
    """Namespaced look-ups in one message type: `find(el, "A/B")`, `text(el, "A/B")`."""

    def __init__(self, message: str) -> None:
        self.ns = {"d": f"urn:iso:std:iso:20022:tech:xsd:{message}"}

    def _path(self, path: str) -> str:
        return "/".join(f"d:{part}" for part in path.split("/"))

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(self._path(path), self.ns)

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return element.findall(self._path(path), self.ns)

    def text(self, element: etree._Element, path: str) -> str | None:
        found = self.find(element, path)
        return found.text.strip() if found is not None and found.text else None

    def amount(self, element: etree._Element, path: str) -> Decimal | None:
        value = self.text(element, path)
        if value is None:
            return None
        try:
            return Decimal(value)  # the schema has already checked the decimal form
        except InvalidOperation:  # pragma: no cover - refused by the schema
            return None

    def reason(self, element: etree._Element, path: str) -> tuple[str, str | None]:
        """(reason text, ISO code) from a status or return reason: code, then free text."""
        code = self.text(element, f"{path}/Rsn/Cd")
        proprietary = self.text(element, f"{path}/Rsn/Prtry")
        extra = [e.text.strip() for e in self.findall(element, f"{path}/AddtlInf") if e.text]
        words = [w for w in (code or proprietary, *extra) if w]
        return clean_reason(" ".join(words)), code


def expand(
    batches: Batches,
    identifier: str | None,
    status: ResultStatus,
    line: int,
    reason: tuple[str, str | None] = ("", None),
) -> tuple[list[ResultRow], list[Unmatched]]:
    """A status the bank gives for a whole file or batch, as one row per transaction
    (without an amount: the bank stated none per transaction)."""
    references = batches.get(identifier or "")
    if references is None:
        detail = "a report on a whole file or batch that is not one of ours"
        return [], [Unmatched(line, identifier or "", status, detail)]
    text, code = reason
    return [ResultRow(line, ref, status, None, text, code) for ref in references], []


def invalid(message: str) -> DomainError:
    return DomainError(StipendCode.INVALID_RESULT_FILE, message[:500], "file")


def _plain(message: str) -> str:
    """The parser's or schema's message without the namespace noise."""
    for namespace in NAMESPACES:
        message = message.replace("{" + namespace + "}", "")
    return message
