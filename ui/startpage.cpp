#include "startpage.h"

#include "filemenu.h"
#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "wizards/trainmenu.h"

#include "training/zootrainoptions.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace wse {

StartPage::StartPage(MainWindow &window) : mWindow(window)
{
    setObjectName("startPage");
    auto *title = new QLabel(tr("<h1>Weight Space Explorer</h1>"
                                "<p>Trained networks as points: embed a model zoo with SANE, explore it in 3D, "
                                "and turn points back into networks.</p>"));
    title->setWordWrap(true);
    mDemo = new QPushButton;
    mDemo->setObjectName("startDemo");
    auto *open = new QPushButton(tr("Open a Zoo or Workspace..."));
    open->setObjectName("startOpen");
    auto *import = new QPushButton(tr("Import an Official Model Zoos Folder..."));
    import->setObjectName("startImport");
    auto *grow = new QPushButton(tr("Grow a New Zoo..."));
    grow->setObjectName("startNewZoo");
    grow->setToolTip(tr("Train a population of networks on Fashion-MNIST, digits, tabular sets or your own data"));
    for (QPushButton *button : {mDemo, open, import, grow})
        button->setMinimumHeight(36);
    mRecent = new QListWidget;
    mRecent->setObjectName("startRecent");
    connect(mDemo, &QPushButton::clicked, &mWindow, &MainWindow::openDemo);
    connect(open, &QPushButton::clicked, this, [this] { chooseAndOpen(mWindow); });
    connect(import, &QPushButton::clicked, this, [this] { chooseAndImport(mWindow); });
    connect(grow, &QPushButton::clicked, this, [this] { openNewZooWizard(mWindow); });
    connect(mRecent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) {
                if (!item->data(Qt::UserRole).toString().isEmpty())
                    mWindow.openZoo(item->data(Qt::UserRole).toString());
            });

    auto *column = new QVBoxLayout;
    column->addWidget(title);
    column->addSpacing(12);
    column->addWidget(mDemo);
    column->addWidget(open);
    column->addWidget(import);
    column->addWidget(grow);
    column->addSpacing(12);
    column->addWidget(new QLabel(tr("<b>Recent</b>")));
    column->addWidget(mRecent, 1);
    auto *centred = new QHBoxLayout(this);
    centred->addStretch(1);
    centred->addLayout(column, 2);
    centred->addStretch(1);
    refresh();
}

void StartPage::refresh()
{
    const bool demoExists = QFileInfo::exists(demoZooPath());
    mDemo->setText(demoExists ? tr("Open the Demo Zoo") : tr("Make the Demo Zoo (128 CNN-s models, a few minutes)"));
    mDemo->setToolTip(demoZooPath());
    mRecent->clear();
    for (const QString &path : recentFiles()) {
        auto *item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(QFileInfo(path).fileName(), QFileInfo(path).absolutePath()));
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        mRecent->addItem(item);
    }
    if (recentFiles().isEmpty())
        mRecent->addItem(tr("Files you open appear here."));
}

} // namespace wse
