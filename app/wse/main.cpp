// wse: the command-line interface of Weight Space Explorer.
#include "checkpointcommands.h"
#include "generationcommands.h"
#include "infocommand.h"
#include "mapcommands.h"
#include "sanecommands.h"
#include "zoocommands.h"

#include "common/error.h"
#include "common/isolatedread.h"
#include "common/log.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <new>

int main(int argc, char **argv)
{
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which is reported with the file's
    // name and leaves the existing file as it was, instead of killing the process mid-write.
    std::signal(SIGXFSZ, SIG_IGN);
    // Files are tried in a child process first, so that one that crashes the HDF5 library is reported
    // (safe here: the CLI reads no file while another thread works).
    wse::setIsolatedReads(true);
    wse::setLogSink([](wse::LogLevel level, const std::string &message) {
        const char *kind = level == wse::LogLevel::Warning ? "warning: " : level == wse::LogLevel::Error ? "error: " : "";
        std::cerr << "wse: " << kind << message << "\n";
    });
    CLI::App app{"Weight Space Explorer: model zoos and SANE weight-space representations (wse <command> --help)"};
    app.name("wse");
    app.set_version_flag("--version", std::string("wse ") + WSE_VERSION);
    app.require_subcommand(1);
    wse::addZooCommands(app);
    wse::addCheckpointCommands(app);
    wse::addSaneCommands(app);
    wse::addEmbedCommand(app);
    wse::addProbeCommand(app);
    wse::addGenerationCommands(app);
    wse::addMapCommands(app);
    wse::addInfoCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &error) {
        return app.exit(error);
    } catch (const wse::Cancelled &) {
        return 130;
    } catch (const wse::Error &error) {
        std::cerr << "wse: error: " << error.what() << "\n";
        return 1;
    } catch (const std::bad_alloc &) {
        std::cerr << "wse: error: out of memory (the input is larger than this machine's memory allows)\n";
        return 1;
    } catch (const std::exception &error) {
        // Readers turn what they know into wse::Error; what reaches here is a defect: say so.
        std::cerr << "wse: error: unexpected failure (please report it): " << error.what() << "\n";
        return 1;
    }
    return 0;
}
