"""The file systems and the file commands (issue 14): `dir`, `more`, `delete`, `verify /md5`,
`copy` between flash:, nvram:, system: and null:, `file prompt`, and flash: kept beside the
saved startup-config across restarts."""
from __future__ import annotations

import hashlib
import json
import re
import stat

import kit
import pytest
from kit import assert_golden, configure, ok

from iosfw.cli.startup import StartupStore
from iosfw.filesystem import FILE_HEADER, FLASH_BYTES, IMAGE_BYTES, IMAGE_NAME

STARTUP = kit.STARTUP


def answered(s, line: str, *answers: str):
    """Run `line` and answer its questions in turn, each of which must come: (the questions
    asked, all the output shown)."""
    reply = s.execute(line)
    asked, shown = [], reply.output
    for answer in answers:
        assert reply.ask is not None, f"{line!r} asked nothing more after {asked}:\n{shown}"
        asked.append(reply.ask.prompt)
        reply = reply.ask.answer(answer)
        shown += reply.output
    assert reply.ask is None, f"{line!r} also asked {reply.ask.prompt!r}"
    return asked, shown


def running_text(s) -> str:
    """What running-config holds as a file: `show running-config` after its header."""
    return ok(s, "show running-config").split("\n", 3)[3]


def saved_to_flash(s, name: str) -> str:
    asked, shown = answered(s, f"copy running-config flash:{name}", "")
    assert asked == [f"Destination filename [{name}]? "]
    return shown


# ------------------------------------------------------------------ dir
def test_dir_lists_the_image_on_32_megabytes_of_flash_as_a_3640_does():
    text = ok(kit.session(), "dir")
    assert_golden("dir-flash.txt", text)
    assert text == ok(kit.session(), "dir flash:") == ok(kit.session(), "dir flash:/")
    free = FLASH_BYTES - IMAGE_BYTES - FILE_HEADER
    assert text.endswith(f"\n\n{FLASH_BYTES} bytes total ({free} bytes free)\n")
    assert FLASH_BYTES == 32768 * 1024      # `32768K bytes of processor board System flash`
    assert f"    1  -rw-    {IMAGE_BYTES}" in text and text.rstrip().count("\n") == 4


def test_dir_nvram_lists_the_startup_config_with_its_saved_size(tmp_path):
    store = StartupStore(tmp_path / STARTUP, fallback=kit.seed_text())
    s = kit.session(on=kit.device(store=store))
    text = ok(s, "dir nvram:")
    assert_golden("dir-nvram.txt", text)
    size = len(kit.seed_text().encode())
    assert re.search(rf"^  124  -rw- +{size} +<no date>  startup-config$", text, re.M)
    assert f"Using {size} out of 129016 bytes" in ok(s, "show startup-config")
    assert f"129016 bytes total ({129016 - size - 5} bytes free)" in text


def test_dir_output_parses_with_ntc_templates_and_as_ansible_reads_it(tmp_path):
    from ntc_templates.parse import parse_output

    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    text = ok(s, "dir")
    rows = parse_output(platform="cisco_ios", command="dir", data=text)
    free = FLASH_BYTES - IMAGE_BYTES - len(running_text(s)) - 2 * FILE_HEADER
    assert [(r["id"], r["permissions"], r["name"], r["date_time"]) for r in rows] == [
        ("1", "-rw-", IMAGE_NAME, "<no date>"), ("2", "-rw-", "backup.cfg", "<no date>")]
    assert {r["file_system"] for r in rows} == {"flash:/"}
    assert rows[1]["size"] == str(len(running_text(s)))
    assert {(r["total_size"], r["total_free"]) for r in rows} == {(str(FLASH_BYTES), str(free))}
    # cisco.ios ios_facts (Hardware.parse_filesystems / parse_filesystems_info)
    assert re.findall(r"^Directory of (\S+)/", text, re.M) == ["flash:"]
    assert re.findall(r"^(\d+) bytes total \((\d+) bytes free\)", text, re.M) == [
        (str(FLASH_BYTES), str(free))]


def test_dir_of_one_file_names_it_as_napalm_and_netmiko_look_for_it(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "merge_config.txt")
    text = ok(s, "dir flash:/merge_config.txt")
    assert text.startswith("Directory of flash:/merge_config.txt\n\n    2  -rw-")
    assert text.splitlines()[2].split()[2] == str(len(running_text(s)))   # netmiko's size
    assert ok(s, "dir flash:merge_config.txt") == text
    missing = s.execute("dir flash:/nothing.txt")
    assert missing.error
    assert missing.output == "%Error opening flash:/nothing.txt (File not found)\n"


def test_dir_json_gives_the_listing_as_facts(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    s.as_json = True
    facts = json.loads(ok(s, "dir flash:"))
    assert facts["directory"] == "flash:/" and facts["bytes_total"] == FLASH_BYTES
    assert [(f["number"], f["name"], f["size"], f["date"]) for f in facts["files"]] == [
        (1, IMAGE_NAME, IMAGE_BYTES, None), (2, "backup.cfg", facts["files"][1]["size"], None)]
    assert facts["bytes_free"] == FLASH_BYTES - sum(f["size"] + FILE_HEADER
                                                    for f in facts["files"])


def test_dir_system_lists_the_running_config_without_space_figures():
    s = kit.session()
    text = ok(s, "dir system:")
    assert f"    1  -rw-  {len(running_text(s).encode()):>10}" in text
    assert text.endswith("running-config\n\nNo space information available\n")


# ------------------------------------------------------------------ copy to and from flash
def test_copy_running_config_to_flash_asks_the_name_and_keeps_the_text(tmp_path):
    s = kit.session(tmp_path)
    shown = saved_to_flash(s, "backup.cfg")
    size = len(running_text(s).encode())
    seconds = round(0.4 + size / 240000, 3)
    assert shown == f"{size} bytes copied in {seconds:.3f} secs ({int(size / seconds)} bytes/sec)\n"
    assert ok(s, "more flash:backup.cfg") == running_text(s)
    digest = hashlib.md5(running_text(s).encode()).hexdigest()
    assert ok(s, "verify /md5 flash:backup.cfg") == (
        f".Done!\nverify /md5 (flash:backup.cfg) = {digest}\n")


def test_an_answer_names_another_destination_and_flash_alone_takes_the_source_name(tmp_path):
    s = kit.session(tmp_path)
    asked, _ = answered(s, "copy running-config flash:a.cfg", "b.cfg")
    assert asked == ["Destination filename [a.cfg]? "]
    asked, _ = answered(s, "copy running-config flash:", "")
    assert asked == ["Destination filename [running-config]? "]
    names = [line.split()[-1] for line in ok(s, "dir").splitlines()[2:-2]]
    assert names == [IMAGE_NAME, "b.cfg", "running-config"]


def test_overwriting_a_file_asks_first_and_no_keeps_the_old_one(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    old = ok(s, "more flash:backup.cfg")
    configure(s, "hostname R2")
    asked, shown = answered(s, "copy running-config flash:backup.cfg", "", "n")
    assert asked == ["Destination filename [backup.cfg]? ", "Do you want to over write? [confirm]"]
    assert shown == "%Warning:There is a file already existing with this name\n"
    assert ok(s, "more flash:backup.cfg") == old
    answered(s, "copy running-config flash:backup.cfg", "", "")
    assert "hostname R2\n" in ok(s, "more flash:backup.cfg")


def test_copy_flash_to_running_config_merges_line_by_line(tmp_path):
    s = kit.session(tmp_path)
    s.device.files.flash.write("merge.cfg", (
        "hostname EDGE\n"
        "interface Ethernet2/1\n"
        " description inside LAN\n"
        " ip adress 10.10.10.9 255.255.255.0\n"
        "ip route 192.0.2.0 255.255.255.0 172.22.1.1\n"
        "end\n"
        "hostname NEVER\n").encode())
    asked, shown = answered(s, "copy flash:merge.cfg running-config", "")
    assert asked == ["Destination filename [running-config]? "]
    assert shown.startswith(" ip adress 10.10.10.9 255.255.255.0\n    ^\n"
                            "% Invalid input detected at '^' marker.\n\n")
    assert re.search(r"^\d+ bytes copied in [\d.]+ secs \(\d+ bytes/sec\)$", shown, re.M)
    assert "%SYS-5-CONFIG_I: Configured from flash:merge.cfg by console" in shown
    assert s.prompt() == "EDGE#"
    config = running_text(s)
    assert "interface Ethernet2/1\n description inside LAN\n ip address 10.10.10.1 " in config
    assert "ip route 192.0.2.0 255.255.255.0 172.22.1.1\n" in config
    assert "ip route 0.0.0.0 0.0.0.0 172.22.1.1\n" in config     # merged, not replaced
    assert "NEVER" not in config


def test_a_saved_copy_merged_back_changes_nothing(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    before = running_text(s)
    _, shown = answered(s, "copy flash:backup.cfg running-config", "")
    assert "%" not in shown.split("%SYS-5-CONFIG_I")[0]
    assert running_text(s) == before


def test_copies_between_flash_and_the_startup_config(tmp_path):
    s = kit.session(tmp_path)
    s.device.files.flash.write("old.cfg", kit.seed_with("hostname OLD").encode())
    asked, shown = answered(s, "copy flash:old.cfg startup-config", "")
    assert asked == ["Destination filename [startup-config]? "]
    assert shown.startswith("[OK]\n") and " bytes copied in " in shown
    assert "hostname OLD" in (tmp_path / STARTUP).read_text()
    asked, _ = answered(s, "copy startup-config flash:again.cfg", "")
    assert ok(s, "more flash:again.cfg") == (tmp_path / STARTUP).read_text()
    asked, shown = answered(s, "copy running-config nvram:startup-config", "")
    assert asked == ["Destination filename [startup-config]? "]
    assert shown == "Building configuration...\n[OK]\n"
    assert "hostname 3640-123" in (tmp_path / STARTUP).read_text()
    _, shown = answered(s, "copy startup-config running-config", "")
    assert "Configured from memory by console" in shown


def test_copy_running_config_startup_config_still_saves_as_before(tmp_path):
    s = kit.session(tmp_path)
    assert ok(s, "copy running-config startup-config") == (
        "Destination filename [startup-config]? \nBuilding configuration...\n[OK]\n")
    assert (tmp_path / STARTUP).read_text() == running_text(s)


def test_null_takes_a_copy_and_keeps_nothing(tmp_path):
    s = kit.session(tmp_path)
    shown = ok(s, "copy running-config null:")
    assert " bytes copied in " in shown
    assert ok(s, "dir null:") == ("Directory of null:/\n\nNo files in directory\n\n"
                                  "No space information available\n")


def test_a_missing_source_is_refused_before_any_question(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute("copy flash:nothing.cfg running-config")
    assert reply.error and reply.ask is None
    assert reply.output == "%Error opening flash:nothing.cfg (File not found)\n"
    assert kit.refused(s, "more flash:nothing.cfg") == (
        "%Error opening flash:nothing.cfg (File not found)\n")


def test_a_file_larger_than_the_free_space_is_refused(tmp_path):
    s = kit.session(tmp_path)
    free = FLASH_BYTES - IMAGE_BYTES - FILE_HEADER
    flash = s.device.files.flash
    flash.write("big.bin", b"\0" * (free - FILE_HEADER))
    assert flash.free() == 0
    _, shown = answered(s, "copy running-config flash:more.cfg", "")
    assert shown == "%Error copying flash:more.cfg (Not enough space on device)\n"
    assert not flash.exists("more.cfg")


def test_the_image_is_listed_but_not_stored():
    s = kit.session()
    reason = "(iosfw: the IOS image is listed, not stored)\n"
    assert kit.refused(s, f"more flash:{IMAGE_NAME}") == (
        f"%Error opening flash:{IMAGE_NAME} {reason}")
    _, shown = answered(s, f"delete flash:{IMAGE_NAME}", "", "")
    assert shown == f"%Error deleting flash:{IMAGE_NAME} {reason}"
    assert IMAGE_NAME in ok(s, "dir")
    md5 = ok(s, f"verify /md5 flash:{IMAGE_NAME}")
    shown = re.escape(f"verify /md5 (flash:{IMAGE_NAME}) = ")
    assert re.fullmatch(rf"(\.{{79}}\n){{4}}\.{{34}}Done!\n{shown}[0-9a-f]{{32}}\n", md5), md5


# ------------------------------------------------------------------ delete
def test_delete_asks_the_name_then_to_confirm(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    asked, shown = answered(s, "delete flash:backup.cfg", "", "n")
    assert asked == ["Delete filename [backup.cfg]? ", "Delete flash:backup.cfg? [confirm]"]
    assert shown == "" and "backup.cfg" in ok(s, "dir")
    asked, shown = answered(s, "delete flash:/backup.cfg", "", "")
    assert shown == "" and "backup.cfg" not in ok(s, "dir")
    assert not (tmp_path / f"{STARTUP}.flash" / "backup.cfg").exists()
    _, shown = answered(s, "delete flash:backup.cfg", "", "")
    assert shown == "%Error deleting flash:backup.cfg (File not found)\n"


# ------------------------------------------------------------------ file prompt
def test_file_prompt_quiet_asks_nothing_and_is_written_to_running_config(tmp_path):
    s = kit.session(tmp_path, "file prompt quiet")
    assert "!\n!\nfile prompt quiet\n!\nip inspect name" in running_text(s)
    assert " bytes copied in " in ok(s, "copy running-config flash:backup.cfg")
    assert " bytes copied in " in ok(s, "copy running-config flash:backup.cfg")   # overwrites
    assert " bytes copied in " in ok(s, "copy flash:backup.cfg running-config")
    assert ok(s, "delete flash:backup.cfg") == ""
    configure(s, "no file prompt quiet")
    assert "file prompt" not in running_text(s)
    assert s.execute("delete flash:x").ask is not None


def test_file_prompt_levels_read_back_from_running_config():
    for level in ("noisy", "quiet"):
        r = kit.router(kit.seed_with(f"file prompt {level}"))
        assert r.file_prompt == level
        assert kit.router(running_text(kit.session(router=r))).file_prompt == level
    assert kit.router(kit.seed_with("file prompt")).file_prompt == "alert"


# ------------------------------------------------------------------ where flash lives
def test_flash_files_live_beside_the_startup_config_and_survive_a_restart(tmp_path):
    s = kit.session(tmp_path)
    saved_to_flash(s, "backup.cfg")
    folder = tmp_path / f"{STARTUP}.flash"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "backup.cfg").stat().st_mode) == 0o600
    assert (folder / "backup.cfg").read_text() == running_text(s)
    again = kit.session(tmp_path)               # a new Device on the same NVRAM
    assert ok(again, "dir") == ok(s, "dir")
    assert ok(again, "more flash:backup.cfg") == running_text(s)


def test_the_built_in_routers_flash_is_under_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    s = kit.session(on=kit.device(store=StartupStore.builtin()))
    saved_to_flash(s, "backup.cfg")
    assert (tmp_path / "iosfw" / "3640-123.startup-config.flash" / "backup.cfg").is_file()


def test_names_a_host_file_system_would_mistake_are_kept_as_typed(tmp_path):
    s = kit.session(tmp_path)
    for name in ("dirt/images/c3600-i-mz", ".hidden", "100%.cfg"):
        saved_to_flash(s, name)
        assert ok(s, f"more flash:{name}") == running_text(s)
    names = [line.split()[-1] for line in ok(s, "dir").splitlines()[3:-2]]
    assert names == ["dirt/images/c3600-i-mz", ".hidden", "100%.cfg"]
    assert sorted(p.name for p in (tmp_path / f"{STARTUP}.flash").iterdir()) == [
        "%2Ehidden", "100%25.cfg", "dirt%2Fimages%2Fc3600-i-mz"]


def test_a_device_whose_nvram_is_nowhere_keeps_its_flash_in_memory():
    s = kit.session()                          # its NVRAM is under /dev/null
    saved_to_flash(s, "backup.cfg")
    assert ok(s, "more flash:backup.cfg") == running_text(s)
    assert "backup.cfg" in ok(kit.session(on=s.device), "dir")
    assert "backup.cfg" not in ok(kit.session(), "dir")


def test_a_flash_that_cannot_be_written_says_why(tmp_path):
    (tmp_path / "file").write_text("")
    s = kit.session(on=kit.device(store=StartupStore(tmp_path / "file" / STARTUP)))
    _, shown = answered(s, "copy running-config flash:backup.cfg", "")
    assert re.fullmatch(r"%Error copying flash:backup.cfg \(.+\)\n", shown)
    assert "backup.cfg" not in ok(s, "dir")


# ------------------------------------------------------------------ netmiko, over telnet
@pytest.mark.parametrize("device_type", ["cisco_ios_telnet"])
def test_netmiko_finds_flash_and_reads_a_file_as_its_file_transfer_does(tmp_path, device_type):
    import netmiko
    from netmiko.cisco.cisco_ios import CiscoIosFileTransfer

    flash = tmp_path / "iosfw" / "3640-123.startup-config.flash"
    with kit.served("--telnet", "127.0.0.1:0", env={"XDG_DATA_HOME": str(tmp_path)}) as ports:
        conn = netmiko.ConnectHandler(device_type=device_type, host="127.0.0.1",
                                      port=ports["telnet"], username="",
                                      password=kit.SEED_PASSWORD, secret=kit.SEED_PASSWORD,
                                      timeout=20)
        try:
            conn.enable()
            out = conn.send_command("copy running-config flash:backup.cfg",
                                    expect_string=r"Destination filename")
            out += conn.send_command("\n", expect_string=r"#")
            assert " bytes copied in " in out
            assert conn._autodetect_fs() == "flash:"
            listing = conn.send_command("dir flash:")
            transfer = CiscoIosFileTransfer(conn, source_file="backup.cfg",
                                            dest_file=str(tmp_path / "copy.cfg"),
                                            direction="get")
            size, md5 = transfer.file_size, transfer.source_md5
            space = transfer.remote_space_available()
        finally:
            conn.disconnect()
    data = (flash / "backup.cfg").read_bytes()
    assert "backup.cfg" in listing and size == len(data)
    assert md5 == hashlib.md5(data).hexdigest()
    assert space == FLASH_BYTES - IMAGE_BYTES - len(data) - 2 * FILE_HEADER


def test_copy_from_null_empties_a_file():
    """napalm's discard_config empties its candidate with `copy null: flash:NAME`."""
    s = kit.session()
    kit.configure(s, "file prompt quiet")          # as napalm configures it first
    kit.ok(s, "copy running-config flash:cand.txt")
    assert len(kit.ok(s, "more flash:cand.txt")) > 100
    kit.ok(s, "copy null: flash:cand.txt")
    assert kit.ok(s, "more flash:cand.txt") == ""
