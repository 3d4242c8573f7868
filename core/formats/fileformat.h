#pragma once
// The kinds of file Weight Space Explorer reads, in one place: each kind's name, extensions,
// file-dialog filter and version, and how a file is recognised by its content (the HDF5 'format'
// attribute, the zip magic of a PyTorch checkpoint and our encoder's marker in it, the marker files
// of a folder). The explorer's open dialog, drag-and-drop and start page, and the CLI's `wse info`
// and argument checks all decide through it, so they agree on what each file is.
#include <string>
#include <vector>

namespace wse {

enum class FileKind { Unknown, Zoo, Workspace, Embeddings, Encoder, SaneRun, OfficialZoo, Checkpoint };

struct FileFormat
{
    FileKind kind = FileKind::Unknown;
    std::string id;                      // "zoo": the CLI's word and the settings key
    std::string name;                    // "zoo", "SANE encoder": as in "is a workspace, not a zoo"
    std::string plural;                  // "Zoos": the dialog filter's label
    std::vector<std::string> extensions; // without dots, the default first; empty for folders
    bool folder = false;
    std::string hdf5Format;              // the HDF5 'format' attribute ("" when not HDF5)
    int version = 0;                     // the newest version this program reads (0: not versioned)

    // "Zoos (*.h5 *.hdf5)"; a folder kind gives "".
    std::string dialogFilter() const;
    // "zoo.h5" -> true for a zoo: the name ends with one of the extensions (any case).
    bool hasExtension(const std::string &path) const;
};

const std::vector<FileFormat> &fileFormats();
const FileFormat &fileFormat(FileKind kind);
// The kind whose id is `id` ("zoo", "workspace", ...); Unknown when none.
FileKind fileKindFromId(const std::string &id);

// What the file or folder at `path` is, by its content; Unknown when unreadable or none of ours.
// Reads at most the first few MB of a file. Never throws.
FileKind detectFileKind(const std::string &path);

// The kind of `path`, or a FormatError naming it: "is a workspace, not a zoo" when it is another
// kind, "is not a zoo, a workspace or ..." when it is none of `accepted`.
FileKind requireFileKind(const std::string &path, const std::vector<FileKind> &accepted);

// One dialog filter string for these kinds: "Zoos and workspaces (*.h5 *.hdf5);;Zoos (*.h5 *.hdf5);;
// Workspaces (*.h5 *.hdf5);;All files (*)" (the combined entry first when there are several).
std::string dialogFilter(const std::vector<FileKind> &kinds);

// "a zoo", "an embeddings file".
std::string withArticle(const std::string &name);

} // namespace wse
