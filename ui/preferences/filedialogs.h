#pragma once
// File dialogs that start where the user last chose a file of the same kind (one remembered folder
// per kind: zoo, workspace, encoder, ..., figure, points) and filter through the format registry.
#include "formats/fileformat.h"

#include <QString>

#include <vector>

class QWidget;

namespace wse {

// Where dialogs for `kind` ("zoo", "figure") start: the folder last chosen for it, else the home folder.
QString lastFolder(const QString &kind);
void rememberFolder(const QString &kind, const QString &fileOrFolder);

// Empty when cancelled. `current` (a path the form holds) wins over the remembered folder.
QString chooseFileToOpen(QWidget *parent, const QString &title, const std::vector<FileKind> &kinds,
                         const QString &current = {});
// `suggested` is a file name (placed in the remembered folder) or a path.
QString chooseFileToSave(QWidget *parent, const QString &title, FileKind kind, const QString &suggested);
// For outputs that are no kind of ours: a figure (PNG/SVG/PDF), points (CSV). `kind` names the folder.
QString chooseFileToSave(QWidget *parent, const QString &title, const QString &kind, const QString &suggested,
                         const QString &filter);
QString chooseFolder(QWidget *parent, const QString &title, const QString &kind, const QString &current = {});

} // namespace wse
