#include "help/aboutdialog.h"

#include "common/buildinfo.h"
#include "icons.h"
#include "torchutil/devices.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <vtkVersion.h>

namespace wse {

namespace {

struct Component
{
    const char *name;
    QString version; // empty when the program cannot ask
    const char *licence;
};

QString computeDevice(const DeviceInventory &inventory)
{
    QString cpu = QObject::tr("CPU (%1 threads on %2 cores)").arg(inventory.cpuThreads).arg(inventory.cpuCores);
    if (inventory.cuda.empty())
        return inventory.cudaBuild ? cpu + QObject::tr("; CUDA build, no GPU visible") : cpu;
    QStringList gpus;
    for (const CudaDeviceInfo &gpu : inventory.cuda)
        gpus << QStringLiteral("cuda:%1 %2").arg(gpu.index).arg(QString::fromStdString(gpu.name)).trimmed();
    return gpus.join(QStringLiteral(", ")) + QStringLiteral("; ") + cpu;
}

std::vector<Component> components(const DeviceInventory &inventory)
{
    return {{"Qt", QString::fromLatin1(qVersion()), "LGPL-3.0 (Qt Charts: GPL-3.0)"},
            {"VTK", QString::fromLatin1(vtkVersion::GetVTKVersion()), "BSD-3-Clause"},
            {"LibTorch", QString::fromStdString(inventory.libtorchVersion), "BSD-3-Clause"},
            {"HDF5", QString::fromStdString(hdf5Version()), "BSD-3-Clause (HDF5 licence)"},
            {"OpenBLAS", {}, "BSD-3-Clause"},
            {"zlib", {}, "Zlib"},
            {"nlohmann/json", {}, "MIT"},
            {"CLI11", {}, "BSD-3-Clause"},
            {"hnswlib", {}, "Apache-2.0"},
            {"nanoflann", {}, "BSD-2-Clause"},
            {"Fashion-MNIST (data, Debian package)", {}, "MIT"},
            {"UCI digits (data, from scikit-learn)", {}, "CC-BY-4.0"}};
}

} // namespace

QString aboutText()
{
    const DeviceInventory inventory = listDevices();
    QString html = QObject::tr("<h2>Weight Space Explorer</h2>"
                               "<p>Version %1, commit %2</p>"
                               "<p>Explore populations of trained neural networks: embed every checkpoint with SANE, "
                               "lay the zoo out in 3D, decode and sample new networks from the map.</p>")
                       .arg(QString::fromStdString(buildVersion()), QString::fromStdString(buildCommit()));
    html += QObject::tr("<p><b>Computes on:</b> %1</p>").arg(computeDevice(inventory).toHtmlEscaped());
    html += QObject::tr("<p>Free software under the GNU General Public License, version 3 or later "
                        "(GPL-3.0-or-later): you may share and change it under its terms. It comes with no warranty.</p>");
    html += QObject::tr("<p><b>Built on</b></p><table cellspacing=\"0\" cellpadding=\"2\">");
    for (const Component &part : components(inventory))
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                    .arg(QString::fromLatin1(part.name), part.version, QString::fromLatin1(part.licence));
    return html + QStringLiteral("</table>");
}

QString aboutPlainText()
{
    const DeviceInventory inventory = listDevices();
    QStringList lines{QStringLiteral("Weight Space Explorer %1").arg(QString::fromStdString(buildDescription())),
                      QStringLiteral("Computes on: %1").arg(computeDevice(inventory))};
    for (const Component &part : components(inventory))
        if (!part.version.isEmpty())
            lines << QStringLiteral("%1 %2").arg(QString::fromLatin1(part.name), part.version);
    return lines.join('\n');
}

void showAboutDialog(QWidget *parent)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("About Weight Space Explorer"));
    auto *icon = new QLabel;
    icon->setPixmap(applicationIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    auto *text = new QTextBrowser;
    text->setObjectName("aboutText");
    text->setFrameShape(QFrame::NoFrame);
    text->setOpenExternalLinks(true);
    text->setHtml(aboutText());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *copy = buttons->addButton(QObject::tr("Copy Version Info"), QDialogButtonBox::ActionRole);
    QObject::connect(copy, &QPushButton::clicked, &dialog, [] { QApplication::clipboard()->setText(aboutPlainText()); });
    QPushButton *aboutQt = buttons->addButton(QObject::tr("About Qt"), QDialogButtonBox::HelpRole);
    QObject::connect(aboutQt, &QPushButton::clicked, &QApplication::aboutQt);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(text, 1);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addLayout(row);
    layout->addWidget(buttons);
    dialog.resize(620, 520);
    dialog.exec();
}

} // namespace wse
