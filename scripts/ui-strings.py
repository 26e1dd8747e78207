#!/usr/bin/env python3
# Usage: scripts/ui-strings.py            lists, per language, the L["..."] keys under src/Ateb missing from Resources/Components.Ui.{fa,ar,cy}.resx, and unused entries.
#        scripts/ui-strings.py --write    rewrites each resx sorted by key: keeps translations, drops unused entries (DYNAMIC_KEYS below are kept).
#        scripts/ui-strings.py --write --allow-empty   also adds missing keys with an empty value, to translate by hand. Exit code 1 while anything is missing.
"""Keeps the agent workspace's translations in step with the strings the code uses (see tests/Ateb.Tests/Components/UiStringsTests.cs)."""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "src", "Ateb")
RESOURCES = os.path.join(SOURCE, "Resources")
LANGUAGES = ["fa", "ar", "cy"]

# The same pattern as UiStringsTests.Key().
KEY = re.compile(r'\b[Ll]\["((?:[^"\\]|\\.)*)"[\],]')

# Keys the code passes to the localizer through a variable or an expression, so the scan cannot see them.
DYNAMIC_KEYS = {
    # SignInPage: L[outcome.Error], the problem titles (and title + detail) of SignInAgent, and Outcomes' fallback.
    "Email or password is wrong.",
    "Too many attempts. Try again later.",
    "This account has no seat in that workspace.",
    "Something went wrong.",
    # MailboxesAdmin.Health: L[health switch { ... }]
    "Disabled",
    "Error",
    "Pipe only",
    "Not fetched yet",
    "Working",
    # InboundMailAdmin.StateName: L[state switch { ... }]
    "Quarantined",
    "Waiting",
    "Processed",
    "Ignored",
}

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
"""

SCHEMA = """  <xsd:schema id="root" xmlns="" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:msdata="urn:schemas-microsoft-com:xml-msdata">
    <xsd:import namespace="http://www.w3.org/XML/1998/namespace" />
    <xsd:element name="root" msdata:IsDataSet="true">
      <xsd:complexType>
        <xsd:choice maxOccurs="unbounded">
          <xsd:element name="metadata">
            <xsd:complexType>
              <xsd:sequence>
                <xsd:element name="value" type="xsd:string" minOccurs="0" />
              </xsd:sequence>
              <xsd:attribute name="name" use="required" type="xsd:string" />
              <xsd:attribute name="type" type="xsd:string" />
              <xsd:attribute name="mimetype" type="xsd:string" />
              <xsd:attribute ref="xml:space" />
            </xsd:complexType>
          </xsd:element>
          <xsd:element name="assembly">
            <xsd:complexType>
              <xsd:attribute name="alias" type="xsd:string" />
              <xsd:attribute name="name" type="xsd:string" />
            </xsd:complexType>
          </xsd:element>
          <xsd:element name="data">
            <xsd:complexType>
              <xsd:sequence>
                <xsd:element name="value" type="xsd:string" minOccurs="0" msdata:Ordinal="1" />
                <xsd:element name="comment" type="xsd:string" minOccurs="0" msdata:Ordinal="2" />
              </xsd:sequence>
              <xsd:attribute name="name" type="xsd:string" use="required" msdata:Ordinal="1" />
              <xsd:attribute name="type" type="xsd:string" msdata:Ordinal="3" />
              <xsd:attribute name="mimetype" type="xsd:string" msdata:Ordinal="4" />
              <xsd:attribute ref="xml:space" />
            </xsd:complexType>
          </xsd:element>
          <xsd:element name="resheader">
            <xsd:complexType>
              <xsd:sequence>
                <xsd:element name="value" type="xsd:string" minOccurs="0" msdata:Ordinal="1" />
              </xsd:sequence>
              <xsd:attribute name="name" type="xsd:string" use="required" />
            </xsd:complexType>
          </xsd:element>
        </xsd:choice>
      </xsd:complexType>
    </xsd:element>
  </xsd:schema>
  <resheader name="resmimetype">
    <value>text/microsoft-resx</value>
  </resheader>
  <resheader name="version">
    <value>2.0</value>
  </resheader>
  <resheader name="reader">
    <value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value>
  </resheader>
  <resheader name="writer">
    <value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value>
  </resheader>
"""


def unescape(text):
    """What the test's Regex.Unescape does to the captured key, for the escapes a C# string literal can hold."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "f": "\f", "v": "\v", "e": "\x1b", "0": "\0"}

    def one(m):
        body = m.group(1)
        if body[0] == "u":
            return chr(int(body[1:], 16))
        if body[0] == "x":
            return chr(int(body[1:], 16))
        return simple.get(body, body)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)", one, text, flags=re.S)


def used_keys():
    """Every key, with the files it appears in, found the way UiStringsTests.UsedKeys() finds them."""
    keys = {}
    skip = (os.sep + "obj" + os.sep, os.sep + "bin" + os.sep)
    for folder, _, files in os.walk(SOURCE):
        for name in files:
            path = os.path.join(folder, name)
            if not (name.endswith(".razor") or name.endswith(".cs")) or any(s in path for s in skip):
                continue
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
            for m in KEY.finditer(text):
                keys.setdefault(unescape(m.group(1)), set()).add(os.path.relpath(path, SOURCE))
    return keys


def resx_path(language):
    return os.path.join(RESOURCES, f"Components.Ui.{language}.resx")


def read_resx(language):
    """(entries, comments): entries maps name to (value, comment); comments are the file's own notes under <root>."""
    path = resx_path(language)
    if not os.path.exists(path):
        return {}, []
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser=parser).getroot()
    entries, comments = {}, []
    for child in root:
        if child.tag is ET.Comment:
            comments.append(child.text or "")
        elif child.tag == "data" and child.get("type") is None and child.get("mimetype") is None:
            value = child.find("value")
            comment = child.find("comment")
            entries[child.get("name")] = (
                value.text or "" if value is not None else "",
                comment.text if comment is not None else None,
            )
    return entries, comments


def escape(text, attribute=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return text


def write_resx(language, entries, comments):
    out = [HEADER]
    for c in comments:
        out.append(f"  <!--{c}-->\n")
    out.append(SCHEMA)
    for name in sorted(entries):
        value, comment = entries[name]
        out.append(f'  <data name="{escape(name, True)}" xml:space="preserve">\n    <value>{escape(value)}</value>\n')
        if comment:
            out.append(f"    <comment>{escape(comment)}</comment>\n")
        out.append("  </data>\n")
    out.append("</root>\n")
    os.makedirs(RESOURCES, exist_ok=True)
    with open(resx_path(language), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(out))


PLACEHOLDER = re.compile(r"\{\d+\}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the resx files sorted, without unused entries")
    parser.add_argument("--allow-empty", action="store_true", help="with --write, add missing keys with an empty value")
    parser.add_argument("--language", action="append", choices=LANGUAGES, help="only this language (repeatable)")
    parser.add_argument("--keys", action="store_true", help="print the keys the code uses, one per line, and exit")
    args = parser.parse_args()

    found = used_keys()
    if args.keys:
        for k in sorted(found):
            print(k)
        return 0
    wanted = set(found) | DYNAMIC_KEYS
    print(f"{len(found)} keys in src/Ateb, {len(DYNAMIC_KEYS)} dynamic keys kept by the allowlist")
    problems = 0
    # The resx compiler treats names case-insensitively: of "Deactivated" and "deactivated" only one survives (MSB3568),
    # and the other shows in English whatever the translation says.
    by_case = {}
    for k in wanted:
        by_case.setdefault(k.casefold(), []).append(k)
    for same in sorted(sorted(v) for v in by_case.values() if len(v) > 1):
        print(f"keys that differ only in case (the build keeps one of them): {same}")
        problems += 1
    for language in args.language or LANGUAGES:
        entries, comments = read_resx(language)
        missing = sorted(k for k in wanted if not entries.get(k, ("",))[0].strip())
        unused = sorted(k for k in entries if k not in wanted)
        broken = sorted(k for k in wanted if entries.get(k, ("",))[0].strip()
                        and set(PLACEHOLDER.findall(k)) != set(PLACEHOLDER.findall(entries[k][0])))
        print(f"\n{language}: {len(entries)} entries, {len(missing)} missing, {len(unused)} unused, {len(broken)} with other placeholders")
        for k in missing:
            print(f"  missing: {k!r}  ({', '.join(sorted(found.get(k, {'allowlist'})))})")
        for k in unused:
            print(f"  unused:  {k!r}")
        for k in broken:
            print(f"  placeholders: {k!r} -> {entries[k][0]!r}")
        problems += len(missing) + len(broken)
        if args.write:
            kept = {k: v for k, v in entries.items() if k in wanted}
            if args.allow_empty:
                for k in missing:
                    kept.setdefault(k, ("", None))
            write_resx(language, kept, comments)
            print(f"  wrote {os.path.relpath(resx_path(language), ROOT)} ({len(kept)} entries)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
