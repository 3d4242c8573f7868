#pragma once
// What the explorer shows before a zoo is open: the demo zoo (or making it), opening a zoo or
// workspace, growing a new zoo with the wizard, and the recently opened files.
#include <QWidget>

class QListWidget;
class QPushButton;

namespace wse {

class MainWindow;

class StartPage : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(MainWindow &window);
    void refresh(); // the recent files and whether the demo zoo exists

private:
    MainWindow &mWindow;
    QPushButton *mDemo = nullptr;
    QListWidget *mRecent = nullptr;
};

} // namespace wse
