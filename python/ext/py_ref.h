// PyRef: owns one new reference to a Python object (or none), so that every
// early return of the conversion releases what it took.
#ifndef OTELPACK_PYTHON_EXT_PY_REF_H_
#define OTELPACK_PYTHON_EXT_PY_REF_H_

#include <Python.h>

#include <utility>

namespace otelpack::python {

class PyRef {
 public:
  explicit PyRef(PyObject* o = nullptr) : o_(o) {}
  ~PyRef() { Py_XDECREF(o_); }
  PyRef(const PyRef&) = delete;
  PyRef& operator=(const PyRef&) = delete;
  PyRef(PyRef&& other) noexcept : o_(std::exchange(other.o_, nullptr)) {}
  PyRef& operator=(PyRef&& other) noexcept {
    if (this != &other) {
      Py_XDECREF(o_);
      o_ = std::exchange(other.o_, nullptr);
    }
    return *this;
  }
  PyObject* get() const { return o_; }
  explicit operator bool() const { return o_ != nullptr; }

 private:
  PyObject* o_;
};

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_PY_REF_H_
