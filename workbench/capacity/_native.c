/* The staffing hot path in C: the fewest agents meeting a service level for a small offered load.
 *
 * Twin of workbench/capacity/native.py:service_level_agents_py, operation for operation, so that both
 * give the same integer (tests/core/capacity/test_native.py checks this on a grid and with hypothesis).
 * Why C: at about 11 agents the whole search is ~15 multiply-adds; in CPython that is ~1 µs of interpreter
 * time, here ~0.05 µs plus the call.  Built in place by tools/build_native.py (make run / make test);
 * without a C compiler the Python twin is used and every answer is the same.
 *
 * Model: M/M/c (Erlang C), offered load A = λ·S erlangs.  1/B(k) = 1 + (k/A)·1/B(k−1) (Erlang B
 * recursion, Kleinrock Vol. 1 §3.7), C(k) = k/((k − A)/B(k) + A) (Cooper 1981 §3.4), and the service level
 * 1 − C(k)·e^{−(k−A)t/S} (Kleinrock §3.5 eq. 3.47), tested as e > v as described in native.py.
 * Compiled with -ffp-contract=off: no fused multiply-add, so each operation rounds as Python's does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define NATIVE_ABI 1

static PyObject *
service_level_agents(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "service_level_agents(a, ts, late) takes 3 floats");
        return NULL;
    }
    double a = PyFloat_AsDouble(args[0]);
    double ts = PyFloat_AsDouble(args[1]);
    double late = PyFloat_AsDouble(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (!(a > 0.0 && a < 64.0) || !(ts >= 0.0) || !(late > 0.0 && late < 1.0)) {
        PyErr_SetString(PyExc_ValueError, "service_level_agents: need 0 < a < 64, ts >= 0, 0 < late < 1");
        return NULL;
    }
    double inv = 1.0, k = 1.0, k1;
    double top = floor(a);
    while (k < top) {
        k1 = k + 1.0;
        inv = 1.0 + (1.0 + inv * k / a) * k1 / a;
        k = k1 + 1.0;
    }
    if (k == top) {
        inv = 1.0 + inv * k / a;
        k += 1.0;
    }
    double p = late * inv;
    double ia = 1.0 / a;
    double delta = (k - a) * ia;
    double e = exp((a - k) * ts);
    double step = exp(-ts);
    double v = late + p * delta;
    while (e > v) {
        p += v;
        delta += ia;
        e *= step;
        v = late + p * delta;
        k += 1.0;
    }
    return PyLong_FromDouble(k);
}

static PyMethodDef methods[] = {
    {"service_level_agents", (PyCFunction)(void (*)(void))service_level_agents, METH_FASTCALL,
     "service_level_agents(a, ts, late) -> int: fewest agents with C(k)·exp(-(k-a)·ts) <= late, 0 < a < 64."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "The staffing hot path in C (twin of native.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "ABI", NATIVE_ABI) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
