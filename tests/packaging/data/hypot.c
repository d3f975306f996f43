/* Source of libhypot.so, the test library of tests/packaging/test_elf_finish.py.
 * Built on Debian 12 (glibc 2.36), so its hypot needs GLIBC_2.35 (and its sin
 * the base version GLIBC_2.2.5, as most of a Python's maths does), with a
 * library search path of a build machine:
 *   gcc -shared -fPIC -O2 -Wl,-rpath,/build/machine/lib -o libhypot.so hypot.c -lm
 *   strip --strip-unneeded -R .comment libhypot.so
 */
#include <math.h>

double length(double x, double y) { return hypot(x, y); }

double wave(double x) { return sin(x); }
