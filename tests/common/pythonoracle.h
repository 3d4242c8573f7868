#pragma once
// Debian's python3-torch and python3-h5py as interoperability oracles for the tests.
#include <QString>
#include <QStringList>

namespace wse::test {

// Runs /usr/bin/python3 (the Debian interpreter that has torch and h5py; a pyenv python3 on PATH
// may not) on a script with arguments and returns stdout. Throws std::runtime_error with stderr.
QString runPython(const QString &script, const QStringList &arguments = {});

// True when /usr/bin/python3 can import the given module.
bool pythonHas(const QString &module);

} // namespace wse::test
