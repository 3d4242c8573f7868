#include "viewport/vtkopenglwidget.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QWheelEvent>

#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkObjectFactory.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

namespace wse {

namespace {

// Trackball camera whose left button pans: the interaction of a flat (2D) map.
class PanningStyle : public vtkInteractorStyleTrackballCamera
{
public:
    static PanningStyle *New();
    vtkTypeMacro(PanningStyle, vtkInteractorStyleTrackballCamera)

    void OnLeftButtonDown() override
    {
        FindPokedRenderer(Interactor->GetEventPosition()[0], Interactor->GetEventPosition()[1]);
        if (!CurrentRenderer)
            return;
        GrabFocus(EventCallbackCommand);
        StartPan();
    }
    void OnLeftButtonUp() override
    {
        if (State == VTKIS_PAN) {
            EndPan();
            if (Interactor)
                ReleaseFocus();
        }
    }
};
vtkStandardNewMacro(PanningStyle);

bool softwareRendererIn(QOpenGLContext *context)
{
    const auto *name = reinterpret_cast<const char *>(context->functions()->glGetString(GL_RENDERER));
    const QByteArray renderer = QByteArray(name ? name : "").toLower();
    for (const char *software : {"llvmpipe", "softpipe", "swrast", "swiftshader"})
        if (renderer.contains(software))
            return true;
    return false;
}

} // namespace

VtkOpenGLWidget::VtkOpenGLWidget(QWidget *parent)
    : QOpenGLWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);

    mRenderWindow->AddRenderer(mRenderer);
    mRenderWindow->SetReadyForRendering(false); // until initializeGL has a context for it
    mInteractor->SetRenderWindow(mRenderWindow);
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    mInteractor->SetInteractorStyle(style);
    // VTK's interaction (rotate, zoom) asks the interactor to render; rendering there and again
    // in paintGL drew every frame twice. With EnableRender off the request only raises
    // RenderEvent, which becomes an update(): Qt coalesces them into one paintGL per frame.
    mInteractor->EnableRenderOff();
    mInteractor->Initialize();
    mInteractor->AddObserver(vtkCommand::RenderEvent, this, &VtkOpenGLWidget::onRenderRequested);
    mWheelRest.setSingleShot(true);
    mWheelRest.setInterval(250);
    connect(&mWheelRest, &QTimer::timeout, this, &VtkOpenGLWidget::endWheelZoom);

    for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                                vtkCommand::WindowFrameEvent, vtkCommand::WindowSupportsOpenGLEvent,
                                vtkCommand::WindowIsDirectEvent})
        mRenderWindow->AddObserver(event, this, &VtkOpenGLWidget::onRenderWindowEvent);
}

VtkOpenGLWidget::~VtkOpenGLWidget()
{
    // Without this disconnect ~QOpenGLWidget destroys the context and calls the slot on a
    // half-destroyed object (crash seen in Qt Test).
    if (context())
        disconnect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &VtkOpenGLWidget::releaseGraphicsResources);
    makeCurrent();
    mRenderWindow->Finalize();
    mRenderWindow->RemoveAllObservers();
    doneCurrent();
}

vtkGenericOpenGLRenderWindow *VtkOpenGLWidget::renderWindow() const { return mRenderWindow.Get(); }
vtkGenericRenderWindowInteractor *VtkOpenGLWidget::interactor() const { return mInteractor.Get(); }
vtkRenderer *VtkOpenGLWidget::renderer() const { return mRenderer.Get(); }

void VtkOpenGLWidget::requestRender() { update(); }

void VtkOpenGLWidget::setRotationEnabled(bool enabled)
{
    if (enabled) {
        vtkNew<vtkInteractorStyleTrackballCamera> style;
        mInteractor->SetInteractorStyle(style);
    } else {
        vtkNew<PanningStyle> style;
        mInteractor->SetInteractorStyle(style);
    }
}

void VtkOpenGLWidget::onRenderRequested() { update(); }

void VtkOpenGLWidget::onRenderWindowEvent(vtkObject *, unsigned long eventId, void *callData)
{
    switch (eventId) {
    case vtkCommand::WindowMakeCurrentEvent:
        // Not QOpenGLWidget::makeCurrent(): that rebinds Qt's framebuffer behind VTK's cached
        // GL state and VTK then draws nothing.
        if (context() && mSurface)
            context()->makeCurrent(mSurface);
        break;
    case vtkCommand::WindowIsCurrentEvent: {
        QOpenGLContext *current = QOpenGLContext::currentContext();
        *static_cast<bool *>(callData) = current && current == context() && current->surface() == mSurface;
        break;
    }
    case vtkCommand::WindowFrameEvent:
        if (!mInPaint)
            update(); // VTK rendered outside paintGL (e.g. interaction): show the new frame
        break;
    case vtkCommand::WindowSupportsOpenGLEvent: {
        const QSurfaceFormat format = context() ? context()->format() : QSurfaceFormat::defaultFormat();
        *static_cast<int *>(callData) = format.version() >= qMakePair(3, 2) ? 1 : 0;
        break;
    }
    case vtkCommand::WindowIsDirectEvent:
        *static_cast<int *>(callData) = 1;
        break;
    default:
        break;
    }
}

void VtkOpenGLWidget::initializeGL()
{
    mSurface = context()->surface();
    // A member slot, not a lambda: Qt::UniqueConnection silently fails with lambdas.
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &VtkOpenGLWidget::releaseGraphicsResources,
            Qt::UniqueConnection);
    mRenderWindow->SetOwnContext(false);
    mRenderWindow->SetForceMaximumHardwareLineWidth(1);
    mRenderWindow->SetReadyForRendering(true);
    mRenderWindow->SetFrameBlitModeToNoBlit();
    // 8x multisampling multiplies the fragment work; a software renderer (llvmpipe on Xvfb or
    // a remote desktop) then takes ~270 ms for a frame of 100,000 points instead of ~190 ms.
    mSoftwareRenderer = softwareRendererIn(context());
    if (mSoftwareRenderer)
        mRenderWindow->SetMultiSamples(0);
    mRenderWindow->OpenGLInitContext();
    mRenderWindow->SetMapped(true);
    const qreal ratio = devicePixelRatioF();
    mInteractor->UpdateSize(int(width() * ratio), int(height() * ratio));
    Q_EMIT graphicsReady();
}

void VtkOpenGLWidget::releaseGraphicsResources()
{
    makeCurrent();
    mRenderWindow->Finalize();
    mRenderWindow->SetReadyForRendering(false);
    doneCurrent();
}

void VtkOpenGLWidget::resizeGL(int width, int height)
{
    const qreal ratio = devicePixelRatioF();
    mInteractor->UpdateSize(int(width * ratio), int(height * ratio));
}

void VtkOpenGLWidget::paintGL()
{
    if (!mRenderWindow->GetReadyForRendering())
        return;
    mInPaint = true;
    vtkOpenGLState *state = mRenderWindow->GetState();
    state->ResetFramebufferBindings();
    context()->functions()->glEnable(GL_PROGRAM_POINT_SIZE); // point sizes from the shaders (map/pointsizes.h)
    mRenderWindow->Render(); // into VTK's own framebuffer

    makeCurrent();
    QOpenGLExtraFunctions *gl = context()->extraFunctions();
    gl->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    const GLenum drawBuffer = GL_COLOR_ATTACHMENT0;
    gl->glDrawBuffers(1, &drawBuffer);
    state->vtkglDisable(GL_SCISSOR_TEST);
    gl->glDisable(GL_SCISSOR_TEST);
    state->ResetFramebufferBindings();

    const qreal ratio = devicePixelRatioF();
    const int *size = mRenderWindow->GetRenderFramebuffer()->GetLastSize();
    mRenderWindow->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, int(width() * ratio),
                                          int(height() * ratio), GL_COLOR_BUFFER_BIT, GL_LINEAR);

    // Qt composes the widget with its alpha channel: make it opaque.
    gl->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    gl->glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    gl->glClear(GL_COLOR_BUFFER_BIT);
    state->ResetGLColorMaskState();
    state->ResetGLClearColorState();
    state->ResetFramebufferBindings();
    mInPaint = false;
}

void VtkOpenGLWidget::setEventPosition(const QPointF &position, Qt::KeyboardModifiers modifiers, bool repeat)
{
    const qreal ratio = devicePixelRatioF();
    mInteractor->SetEventInformationFlipY(int(position.x() * ratio), int(position.y() * ratio),
                                          modifiers.testFlag(Qt::ControlModifier) ? 1 : 0,
                                          modifiers.testFlag(Qt::ShiftModifier) ? 1 : 0, 0, repeat ? 1 : 0);
    mInteractor->SetAltKey(modifiers.testFlag(Qt::AltModifier) ? 1 : 0);
}

static unsigned long buttonEvent(Qt::MouseButton button, bool press)
{
    switch (button) {
    case Qt::LeftButton:
        return press ? vtkCommand::LeftButtonPressEvent : vtkCommand::LeftButtonReleaseEvent;
    case Qt::MiddleButton:
        return press ? vtkCommand::MiddleButtonPressEvent : vtkCommand::MiddleButtonReleaseEvent;
    case Qt::RightButton:
        return press ? vtkCommand::RightButtonPressEvent : vtkCommand::RightButtonReleaseEvent;
    default:
        return vtkCommand::NoEvent;
    }
}

void VtkOpenGLWidget::mousePressEvent(QMouseEvent *event)
{
    setEventPosition(event->position(), event->modifiers());
    if (const unsigned long id = buttonEvent(event->button(), true))
        mInteractor->InvokeEvent(id, event);
}

void VtkOpenGLWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    setEventPosition(event->position(), event->modifiers(), true);
    if (const unsigned long id = buttonEvent(event->button(), true))
        mInteractor->InvokeEvent(id, event);
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent *event)
{
    setEventPosition(event->position(), event->modifiers());
    if (const unsigned long id = buttonEvent(event->button(), false))
        mInteractor->InvokeEvent(id, event);
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent *event)
{
    setEventPosition(event->position(), event->modifiers());
    mInteractor->InvokeEvent(vtkCommand::MouseMoveEvent, event);
}

void VtkOpenGLWidget::wheelEvent(QWheelEvent *event)
{
    setEventPosition(event->position(), event->modifiers());
    const int delta = event->angleDelta().y();
    if (delta > 0)
        mInteractor->InvokeEvent(vtkCommand::MouseWheelForwardEvent, event);
    else if (delta < 0)
        mInteractor->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, event);
    event->accept();
    // VTK's wheel zoom ends each turn with a still frame (every point of a big map); drawn at the
    // interactive rate instead, with the still frame once the wheel has rested.
    if (delta != 0) {
        mRenderWindow->SetDesiredUpdateRate(mInteractor->GetDesiredUpdateRate());
        mWheelRest.start();
    }
}

void VtkOpenGLWidget::endWheelZoom()
{
    mRenderWindow->SetDesiredUpdateRate(mInteractor->GetStillUpdateRate());
    requestRender();
}

void VtkOpenGLWidget::keyPressEvent(QKeyEvent *event)
{
    const QByteArray text = event->text().toLatin1();
    mInteractor->SetKeyEventInformation(event->modifiers().testFlag(Qt::ControlModifier) ? 1 : 0,
                                        event->modifiers().testFlag(Qt::ShiftModifier) ? 1 : 0,
                                        text.isEmpty() ? 0 : text.at(0), event->isAutoRepeat() ? 1 : 0);
    mInteractor->InvokeEvent(vtkCommand::KeyPressEvent, event);
    mInteractor->InvokeEvent(vtkCommand::CharEvent, event);
}

void VtkOpenGLWidget::keyReleaseEvent(QKeyEvent *event)
{
    mInteractor->InvokeEvent(vtkCommand::KeyReleaseEvent, event);
}

void VtkOpenGLWidget::enterEvent(QEnterEvent *event)
{
    mInteractor->InvokeEvent(vtkCommand::EnterEvent, event);
}

void VtkOpenGLWidget::leaveEvent(QEvent *event)
{
    mInteractor->InvokeEvent(vtkCommand::LeaveEvent, event);
}

} // namespace wse
