"""Jupyter's own kernel conformance suite, jupyter_kernel_test, against the gpush kernel, every optional part on.

code_page_something stays empty: gpush has no pager payloads (inspection is Shift-Tab's inspect_request).
"""
import os
import unittest

import jupyter_kernel_test


class GpushKernelTests(jupyter_kernel_test.KernelTests):

    kernel_name = os.environ.get("GPUSH_KERNEL_NAME", "gpush")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        {"text": "Integer.toBinaryStr", "matches": {"toBinaryString("}},
        {"text": "import java.util.conc", "matches": {"concurrent."}},
        {"text": "Tensor.ran"},
    ]

    complete_code_samples = ["1 + 1", "int x = 3;", "class A {}", "for (int i = 0; i < 3; i++) { }", "%lsmagic"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int twice(int x) {", "String s = \"abc\" +",
                               "1 +"]
    invalid_code_samples = ["int x = ;", "}", ")"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"gp" + "u"', "result": '"gpu"'},
        {"code": "Tensor.of(new float[]{1, 2})", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": 'display("a picture");', "mime": "text/plain"},
        {"code": "display(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
    ]

    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max("

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
