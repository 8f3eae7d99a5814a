"""The gpush kernel driven by the real Jupyter client (jupyter_client's KernelManager and BlockingKernelClient).

Run by JUnit (JupyterClientTest) after it installs the kernelspec into a temporary folder; see kernel_session.py.
"""
import json
import os
import tempfile
import time
import unittest

import zmq
from dateutil.parser import isoparse
from jupyter_client.session import Session

from kernel_session import (TIMEOUT, execute, iopub_until, no_message, outputs, request, shell_reply,
                            start_kernel, stop_kernel, text_of)


class ProtocolTest(unittest.TestCase):
    """One kernel for every test here; each test leaves it idle and usable."""

    @classmethod
    def setUpClass(cls):
        cls.stderr = tempfile.NamedTemporaryFile("w+", prefix="gpush-kernel-", suffix=".log", delete=False)
        cls.km, cls.kc = start_kernel(stderr=cls.stderr)

    @classmethod
    def tearDownClass(cls):
        stop_kernel(cls.km, cls.kc)
        cls.stderr.close()
        os.unlink(cls.stderr.name)

    def test_kernel_info_describes_java_and_gpush(self):
        info = request(self.kc, self.kc.kernel_info)
        self.assertEqual(info["status"], "ok")
        self.assertEqual(info["implementation"], "gpush")
        self.assertRegex(info["protocol_version"], r"^5\.[34]$")
        language = info["language_info"]
        self.assertEqual(language["name"], "java")
        self.assertEqual(language["mimetype"], "text/x-java")
        self.assertEqual(language["file_extension"], ".jshell")
        self.assertEqual(language["pygments_lexer"], "java")
        self.assertEqual(language["codemirror_mode"], "text/x-java")
        self.assertTrue(language["version"])
        self.assertIn("gpush", info["banner"])
        self.assertTrue(all({"text", "url"} <= set(link) for link in info["help_links"]), info["help_links"])

    def test_a_final_expression_is_the_execute_result(self):
        reply, out = execute(self.kc, "int half = 21;\nhalf * 2")
        self.assertEqual(reply["content"]["status"], "ok")
        count = reply["content"]["execution_count"]
        self.assertEqual([m["msg_type"] for m in out], ["execute_input", "execute_result"])
        self.assertEqual(out[0]["content"], {"code": "int half = 21;\nhalf * 2", "execution_count": count})
        self.assertEqual(out[1]["content"]["data"]["text/plain"], "42")
        self.assertEqual(out[1]["content"]["execution_count"], count)

        next_reply, _ = execute(self.kc, "half")
        self.assertEqual(next_reply["content"]["execution_count"], count + 1, "each stored cell takes the next count")

    def test_a_declaration_alone_shows_no_result(self):
        _, out = execute(self.kc, "int declaredOnly = 3;")
        self.assertEqual([m["msg_type"] for m in out], ["execute_input"])

    def test_output_arrives_while_the_cell_runs(self):
        sleep_ms = 4000
        msg_id = self.kc.execute('System.out.println("first");\nThread.sleep(%d);\nSystem.out.println("second");'
                                 % sleep_ms)
        sent = time.monotonic()
        first = iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream")[-1]
        received = time.monotonic() - sent
        self.assertTrue(no_message(self.kc.get_shell_msg), "the first stream must come before execute_reply")
        self.assertEqual(first["content"], {"name": "stdout", "text": "first\n"})
        self.assertLess(received, sleep_ms / 1000, "the first line must arrive while the cell still sleeps")

        reply = shell_reply(self.kc, msg_id)
        rest = outputs(self.kc, msg_id)
        self.assertEqual(text_of(rest), "second\n")
        # the kernel's own clock: the first line went out before the sleep, the reply after it
        gap = date(reply) - date(first)
        self.assertGreaterEqual(gap.total_seconds(), sleep_ms / 2000)

    def test_stdout_and_stderr_are_separate_streams_in_order(self):
        _, out = execute(self.kc, 'System.out.println("to out"); System.err.println("to err"); '
                                  'System.out.println("out again");')
        streams = [(m["content"]["name"], m["content"]["text"]) for m in out if m["msg_type"] == "stream"]
        self.assertEqual(streams, [("stdout", "to out\n"), ("stderr", "to err\n"), ("stdout", "out again\n")])

    def test_load_magic_puts_the_file_into_the_next_cell(self):
        path = os.path.join(tempfile.mkdtemp(), "snippet.jsh")
        with open(path, "w") as f:
            f.write("int fromFile = 3;")
        reply, _ = execute(self.kc, "%load " + path)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["payload"],
                         [{"source": "set_next_input", "text": "int fromFile = 3;", "replace": False}])

    def test_bash_cell_magic_streams_its_lines_before_it_ends(self):
        msg_id = self.kc.execute("%%bash\necho first\nsleep 3\necho second")
        first = iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream")[-1]
        self.assertEqual(first["content"], {"name": "stdout", "text": "first\n"})
        self.assertTrue(no_message(self.kc.get_shell_msg), "the first line comes while bash still sleeps")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")
        self.assertEqual(text_of(outputs(self.kc, msg_id)), "second\n")

    def test_device_magic_shows_an_html_table(self):
        reply, out = execute(self.kc, "%device")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m["content"] for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, out)
        self.assertIn("<table>", results[0]["data"]["text/html"])
        self.assertIn("device", results[0]["data"]["text/plain"])

    def test_display_update_and_clear_output(self):
        reply, out = execute(self.kc, 'var shown = display("shown", true);\nshown.update("changed");\n'
                                      'clearOutput(true);')
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in out]
        self.assertEqual(kinds, ["execute_input", "display_data", "update_display_data", "clear_output"])
        shown, changed, cleared = out[1]["content"], out[2]["content"], out[3]["content"]
        self.assertIn("shown", shown["data"]["text/plain"])
        self.assertIn("changed", changed["data"]["text/plain"])
        self.assertEqual(shown["transient"]["display_id"], changed["transient"]["display_id"])
        self.assertTrue(cleared["wait"])

    def test_an_image_is_displayed_as_png(self):
        _, out = execute(self.kc, "var image = new java.awt.image.BufferedImage(4, 3, "
                                  "java.awt.image.BufferedImage.TYPE_INT_RGB);\ndisplay(image);")
        displays = [m["content"] for m in out if m["msg_type"] == "display_data"]
        self.assertEqual(len(displays), 1, out)
        self.assertTrue(displays[0]["data"]["image/png"].startswith("iVBORw0KGgo"), "base64 of a PNG signature")

    def test_a_compile_error_is_an_error_with_line_and_caret(self):
        reply, out = execute(self.kc, "int fine = 1;\nint broken = undefinedName + 1;")
        content = reply["content"]
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "CompileError")
        self.assertIn("cannot find symbol", content["evalue"])
        errors = [m["content"] for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        traceback = "\n".join(errors[0]["traceback"])
        self.assertIn("In[%d]:2: error: cannot find symbol" % content["execution_count"], traceback)
        self.assertIn("int broken = undefinedName + 1;\n             ^", traceback)
        self.assertEqual(execute(self.kc, "fine + 1")[1][-1]["content"]["data"]["text/plain"], "2",
                         "the snippets before the error stay, and the kernel goes on")

    def test_an_exception_is_an_error_with_its_class_message_and_stack(self):
        reply, out = execute(self.kc, 'void fail() { throw new IllegalStateException("boom"); }\nfail();')
        content = reply["content"]
        self.assertEqual((content["status"], content["ename"], content["evalue"]),
                         ("error", "java.lang.IllegalStateException", "boom"))
        error = [m["content"] for m in out if m["msg_type"] == "error"][0]
        self.assertEqual(error["ename"], "java.lang.IllegalStateException")
        self.assertTrue(any("fail" in line for line in error["traceback"]), error["traceback"])

    def test_cells_queued_behind_a_failed_cell_are_aborted(self):
        # the sleep lets the second request reach the kernel while the first still runs
        failing = self.kc.execute('Thread.sleep(500);\nthrow new RuntimeException("stop here");')
        queued = self.kc.execute('System.out.println("must not run");')
        self.assertEqual(shell_reply(self.kc, failing)["content"]["status"], "error")
        self.assertEqual(shell_reply(self.kc, queued)["content"]["status"], "aborted")
        self.assertNotIn("must not run", text_of(outputs(self.kc, queued)))
        self.assertEqual(execute(self.kc, "1 + 1")[0]["content"]["status"], "ok", "later cells run again")

    def test_user_expressions_are_evaluated_after_the_cell(self):
        reply, _ = execute(self.kc, "int base = 10;", user_expressions={"double": "base * 2", "bad": "nope + 1"})
        expressions = reply["content"]["user_expressions"]
        self.assertEqual(expressions["double"]["status"], "ok")
        self.assertEqual(expressions["double"]["data"]["text/plain"], "20")
        self.assertEqual(expressions["bad"]["status"], "error")
        self.assertEqual(expressions["bad"]["ename"], "CompileError")

    def test_a_silent_cell_shows_no_input_or_result_and_takes_no_count(self):
        before = execute(self.kc, "1")[0]["content"]["execution_count"]
        reply, out = execute(self.kc, '5 * 5', silent=True)
        self.assertEqual(out, [])
        self.assertEqual(reply["content"]["execution_count"], before + 1, "the count the next cell will take")
        self.assertEqual(execute(self.kc, "2")[0]["content"]["execution_count"], before + 1)

    def test_complete_gives_matches_and_the_range_they_replace(self):
        code = 'var word = "abc"; word.toUpp'
        reply = request(self.kc, self.kc.complete, code)
        self.assertEqual(reply["status"], "ok")
        self.assertIn("toUpperCase(", reply["matches"])
        self.assertEqual((reply["cursor_start"], reply["cursor_end"]), (len(code) - len("toUpp"), len(code)))

        mid = request(self.kc, self.kc.complete, "Integer.toBinaryStr + 1", cursor_pos=len("Integer.toBinaryStr"))
        self.assertEqual(mid["matches"], ["toBinaryString("])
        self.assertEqual((mid["cursor_start"], mid["cursor_end"]), (8, 19))

    def test_cursor_positions_count_code_points(self):
        code = 'String smile = "\U0001F600"; smile.leng'  # the emoji is one code point, two Java chars
        reply = request(self.kc, self.kc.complete, code)
        self.assertIn("length()", reply["matches"])
        self.assertEqual((reply["cursor_start"], reply["cursor_end"]), (len(code) - 4, len(code)))

    def test_complete_knows_the_library(self):
        reply = request(self.kc, self.kc.complete, "Tensor.ran")
        self.assertTrue({"randn(", "rand("} <= set(reply["matches"]), reply["matches"])

    def test_inspect_shows_signature_and_javadoc(self):
        inside_call = request(self.kc, self.kc.inspect, "Math.max(")
        self.assertTrue(inside_call["found"])
        self.assertIn("Math.max(int a, int b)", inside_call["data"]["text/plain"])
        self.assertIn("greater of two", inside_call["data"]["text/plain"])

        after_name = request(self.kc, self.kc.inspect, "Math.max")  # Shift-Tab with the cursor after the name
        self.assertTrue(after_name["found"], after_name)

        nothing = request(self.kc, self.kc.inspect, "   ")
        self.assertEqual((nothing["status"], nothing["found"], nothing["data"]), ("ok", False, {}))

    def test_is_complete(self):
        def status(code):
            return request(self.kc, self.kc.is_complete, code)

        self.assertEqual(status("int x = 1;")["status"], "complete")
        self.assertEqual(status("class A {}\nnew A()")["status"], "complete")
        self.assertEqual(status("%lsmagic")["status"], "complete")
        self.assertEqual(status("for (int i = 0; i < 3; i++) {"), {"status": "incomplete", "indent": "    "})
        self.assertEqual(status("String s = \"abc\" +")["status"], "incomplete")
        self.assertEqual(status("int x = ;")["status"], "invalid")
        self.assertEqual(status("}")["status"], "invalid")

    def test_history_tail_range_and_search(self):
        reply, _ = execute(self.kc, "int historyProbe = 7;")
        line = reply["content"]["execution_count"]
        tail = request(self.kc, self.kc.history, hist_access_type="tail", n=1, raw=True, output=False)["history"]
        self.assertEqual(len(tail), 1)
        session = tail[0][0]
        self.assertEqual(tail[0][1:], [line, "int historyProbe = 7;"])

        current = request(self.kc, self.kc.history, hist_access_type="range", session=0, start=line, stop=line + 1,
                          raw=True, output=False)["history"]
        self.assertEqual(current, tail, "session 0 is the current session")
        absolute = request(self.kc, self.kc.history, hist_access_type="range", session=session, start=line,
                           stop=line + 1, raw=True, output=False)["history"]
        self.assertEqual(absolute, tail)

        execute(self.kc, "historyProbe + 1")
        execute(self.kc, "historyProbe + 1")
        found = request(self.kc, self.kc.history, hist_access_type="search", pattern="historyProbe ?*", raw=True,
                        output=True)["history"]
        self.assertEqual([h[2] for h in found], [["historyProbe + 1", "8"]] * 2)
        unique = request(self.kc, self.kc.history, hist_access_type="search", pattern="*Probe*", unique=True,
                         raw=True, output=False)["history"]
        self.assertEqual([h[2] for h in unique], ["int historyProbe = 7;", "historyProbe + 1"])
        last = request(self.kc, self.kc.history, hist_access_type="search", pattern="*Probe*", n=1, raw=True,
                       output=False)["history"]
        self.assertEqual([h[2] for h in last], ["historyProbe + 1"])

    def test_stdin_round_trip(self):
        msg_id = self.kc.execute('var name = input("name? ");\nSystem.out.println("hello " + name);',
                                 allow_stdin=True)
        ask = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(ask["msg_type"], "input_request")
        self.assertEqual(ask["content"], {"prompt": "name? ", "password": False})
        self.assertEqual(ask["parent_header"]["msg_id"], msg_id)
        self.kc.input("gpush")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")
        self.assertEqual(text_of(outputs(self.kc, msg_id)), "hello gpush\n")

    def test_a_password_prompt_asks_for_hidden_input(self):
        msg_id = self.kc.execute('var secret = password("secret? ");\nsecret.length()', allow_stdin=True)
        ask = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(ask["content"], {"prompt": "secret? ", "password": True})
        self.kc.input("hunter2")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")
        results = [m for m in outputs(self.kc, msg_id) if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "7")

    def test_system_in_reads_through_input_requests(self):
        msg_id = self.kc.execute("var line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))"
                                 ".readLine();\nline.toUpperCase()", allow_stdin=True)
        self.assertEqual(self.kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"], "input_request")
        self.kc.input("typed")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")
        results = [m for m in outputs(self.kc, msg_id) if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], '"TYPED"')

    def test_input_without_allow_stdin_is_an_error_not_a_hang(self):
        reply, _ = execute(self.kc, 'input("nobody will answer")', allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("allow_stdin", reply["content"]["evalue"] + "\n".join(reply["content"]["traceback"]))
        self.assertTrue(no_message(self.kc.get_stdin_msg), "no input_request when stdin is not allowed")

    def test_comms_are_answered_without_errors(self):
        info = request(self.kc, self.kc.comm_info)
        self.assertEqual(info, {"status": "ok", "comms": {}})
        msg = self.kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "no.such.target", "data": {}})
        self.kc.shell_channel.send(msg)
        closed = iopub_until(self.kc, msg["header"]["msg_id"], lambda m: m["msg_type"] == "comm_close")[-1]
        self.assertEqual(closed["content"]["comm_id"], "c-1")
        self.kc.shell_channel.send(self.kc.session.msg("comm_msg", {"comm_id": "c-1", "data": {}}))
        self.assertEqual(execute(self.kc, "3")[0]["content"]["status"], "ok")

    def test_badly_signed_tampered_and_replayed_messages_are_dropped(self):
        good = Session(key=self.km.session.key, signature_scheme=self.km.session.signature_scheme)
        forged = Session(key=b"not the kernel's key", signature_scheme=self.km.session.signature_scheme)
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.connect("%s://%s:%d" % (self.km.transport, self.km.ip, self.km.shell_port))
        try:
            forged.send(sock, "execute_request", execute_content('System.out.println("forged");'))
            frames = good.serialize(good.msg("execute_request", execute_content('System.out.println("signed");')))
            frames[-1] = json.dumps(execute_content('System.out.println("tampered");')).encode()
            sock.send_multipart(frames)
            replayed = good.serialize(good.msg("kernel_info_request", {}))
            sock.send_multipart(replayed)
            sock.send_multipart(replayed)
            honest = good.send(sock, "kernel_info_request", {})

            replies = [receive(good, sock), receive(good, sock)]
            self.assertEqual([r["parent_header"]["msg_id"] for r in replies],
                             [json.loads(replayed[2])["msg_id"], honest["header"]["msg_id"]],
                             "only the first replayed copy and the honest request are answered, in order")
            self.assertEqual(sock.poll(500), 0, "nothing else is answered")
        finally:
            sock.close(linger=0)

        reply, out = execute(self.kc, 'System.out.println("still alive");')
        self.assertEqual(text_of(out), "still alive\n")
        self.stderr.flush()
        with open(self.stderr.name) as log:
            text = log.read()
        self.assertEqual(text.count("bad signature"), 2, text)
        self.assertEqual(text.count("duplicate signature"), 1, text)


class InterruptTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()

    @classmethod
    def tearDownClass(cls):
        stop_kernel(cls.km, cls.kc)

    def start_cell(self, code):
        """Starts code, which prints "looping" when it is inside its loop, and waits for that line."""
        msg_id = self.kc.execute(code)
        iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream" and "looping" in m["content"]["text"])
        return msg_id

    def test_interrupt_stops_a_sleeping_loop_and_keeps_the_variables(self):
        execute(self.kc, "int before = 41;")
        msg_id = self.start_cell('System.out.println("looping");\nwhile (true) { Thread.sleep(10); }')
        interrupt = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(interrupt)
        control_reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(control_reply["msg_type"], "interrupt_reply")
        self.assertEqual(control_reply["parent_header"]["msg_id"], interrupt["header"]["msg_id"])
        self.assertEqual(control_reply["content"]["status"], "ok")

        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "error")
        self.assertIn("error", [m["msg_type"] for m in outputs(self.kc, msg_id)])
        _, out = execute(self.kc, "before + 1")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "42")

    def test_interrupt_stops_a_tensor_loop(self):
        msg_id = self.start_cell('var t = zeros(256, 256);\nlong steps = 0;\n'
                                 'while (true) {\n    t = t.matmul(t).add(1);\n'
                                 '    if (++steps == 1) System.out.println("looping");\n}')
        self.km.interrupt_kernel()  # as Jupyter Lab does: interrupt_mode message, on control
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "error")
        outputs(self.kc, msg_id)
        _, out = execute(self.kc, "steps > 0 && t.shape()[0] == 256")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "true")

    def test_interrupt_cancels_a_waiting_input(self):
        msg_id = self.kc.execute('var never = input("never answered: ");', allow_stdin=True)
        self.assertEqual(self.kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"], "input_request")
        self.km.interrupt_kernel()
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "error")
        outputs(self.kc, msg_id)

        msg_id = self.kc.execute('input("answered: ")', allow_stdin=True)
        self.assertEqual(self.kc.get_stdin_msg(timeout=TIMEOUT)["content"]["prompt"], "answered: ")
        self.kc.input("yes")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")


class ShutdownTest(unittest.TestCase):

    def setUp(self):
        self.km, self.kc = start_kernel()

    def tearDown(self):
        stop_kernel(self.km, self.kc)

    def exit_code(self):
        return self.km.provisioner.process.wait(timeout=TIMEOUT)

    def test_shutdown_replies_and_the_process_exits_0(self):
        msg_id = self.kc.shutdown()
        reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "shutdown_reply")
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"], {"status": "ok", "restart": False})
        published = iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "shutdown_reply")[-1]
        self.assertEqual(published["content"]["restart"], False)
        self.assertEqual(self.exit_code(), 0)

    def test_shutdown_while_a_cell_runs_still_exits_0(self):
        msg_id = self.kc.execute('System.out.println("looping");\nwhile (true) { Thread.sleep(10); }')
        iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream")
        self.kc.shutdown()
        self.assertEqual(self.kc.get_control_msg(timeout=TIMEOUT)["msg_type"], "shutdown_reply")
        self.assertEqual(self.exit_code(), 0)

    def test_restart_gives_a_fresh_kernel_that_keeps_the_history(self):
        execute(self.kc, "int beforeRestart = 1;")
        old = request(self.kc, self.kc.history, hist_access_type="tail", n=1, raw=True, output=False)["history"]
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        reply, _ = execute(self.kc, "beforeRestart")
        self.assertEqual(reply["content"]["status"], "error", "the restarted kernel starts with no variables")
        self.assertEqual(reply["content"]["execution_count"], 1)
        tail = request(self.kc, self.kc.history, hist_access_type="tail", n=2, raw=True, output=False)["history"]
        self.assertEqual(tail[0], old[0], "the earlier session's cells stay in the history file")
        self.assertEqual(tail[1][0], old[0][0] + 1, "the new kernel is the next session")


def date(msg):
    """A message's header date; jupyter_client gives it as text or as a datetime, by version."""
    value = msg["header"]["date"]
    return isoparse(value) if isinstance(value, str) else value


def execute_content(code):
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True}


def receive(session, sock):
    if not sock.poll(TIMEOUT * 1000):
        raise AssertionError("no reply on the raw shell socket")
    _, frames = session.feed_identities(sock.recv_multipart())
    return session.deserialize(frames)


if __name__ == "__main__":
    unittest.main()
