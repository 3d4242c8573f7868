#pragma once
// Embeds a VTK render window in a Qt 6 QOpenGLWidget (Debian's VTK Qt module is Qt 5, so we
// cannot use QVTKOpenGLNativeWidget). VTK renders into its own framebuffer inside Qt's context;
// paintGL blits it into the widget's framebuffer. See docs/toolchain notes, "VTK in Qt 6".
#include <QOpenGLWidget>
#include <QTimer>
#include <QSurface>

#include <vtkNew.h>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;
class vtkRenderer;

namespace wse {

class VtkOpenGLWidget : public QOpenGLWidget
{
    Q_OBJECT

public:
    explicit VtkOpenGLWidget(QWidget *parent = nullptr);
    ~VtkOpenGLWidget() override;

    vtkGenericOpenGLRenderWindow *renderWindow() const;
    vtkGenericRenderWindowInteractor *interactor() const;
    vtkRenderer *renderer() const;

    // Re-renders the scene on the next paint.
    void requestRender();
    // Whether the GL renderer is a software rasteriser (llvmpipe on Xvfb or a remote desktop);
    // known once graphicsReady was emitted.
    bool isSoftwareRenderer() const { return mSoftwareRenderer; }
    // Flat maps: left-drag pans instead of rotating (the wheel and right-drag still zoom).
    void setRotationEnabled(bool enabled);

Q_SIGNALS:
    void graphicsReady(); // the GL context exists (isSoftwareRenderer is known)

protected:
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;

    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;

private Q_SLOTS:
    // Qt is about to destroy our context (e.g. the widget moves to another top-level window):
    // VTK must release its GL resources now and re-create them in initializeGL.
    void releaseGraphicsResources();

private:
    void onRenderRequested();
    void onRenderWindowEvent(vtkObject *caller, unsigned long eventId, void *callData);
    void setEventPosition(const QPointF &position, Qt::KeyboardModifiers modifiers, bool repeat = false);
    void endWheelZoom(); // the wheel has rested: one still frame


    vtkNew<vtkGenericOpenGLRenderWindow> mRenderWindow;
    vtkNew<vtkGenericRenderWindowInteractor> mInteractor;
    vtkNew<vtkRenderer> mRenderer;
    QSurface *mSurface = nullptr;
    // Turns of the wheel in quick succession are one interaction, like a drag: frames at VTK's
    // interactive rate (a thinned map on a software renderer) until the wheel rests.
    QTimer mWheelRest;
    bool mInPaint = false;
    bool mSoftwareRenderer = false;
};

} // namespace wse
