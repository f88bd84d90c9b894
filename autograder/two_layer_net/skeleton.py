import numpy as np

def affine_forward(x, W, b):
    """
    Computes the forward pass of an affine (fully connected) layer.

    Inputs:
    - x: A numpy array of shape (N, D), a minibatch of N examples in rows.
    - W: A numpy array of weights, of shape (D, M).
    - b: A numpy array of biases, of shape (M,).

    Returns a tuple of:
    - out: output, of shape (N, M)
    - cache: whatever affine_backward will need (your choice)
    """
    # TODO: compute out (b is added to every row) and keep what the backward pass needs in cache.
    raise NotImplementedError("affine_forward: replace this line with your code")
    return out, cache

def affine_backward(dout, cache):
    """
    Computes the backward pass of an affine (fully connected) layer.

    Inputs:
    - dout: Upstream gradient, of shape (N, M).
    - cache: What your affine_forward returned as its cache.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D)
    - dW: Gradient with respect to W, of shape (D, M)
    - db: Gradient with respect to b, of shape (M,)
    """
    # TODO: unpack the cache and compute dx, dW and db.
    raise NotImplementedError("affine_backward: replace this line with your code")
    return dx, dW, db

def relu_forward(x):
    """
    Computes the forward pass of a layer of rectified linear units (ReLUs).

    Inputs:
    - x: Inputs, a numpy array of any shape, e.g. (N, H).

    Returns a tuple of:
    - out: Output, of the same shape as x
    - cache: whatever relu_backward will need (your choice)
    """
    # TODO: compute out without changing x, and keep what the backward pass needs in cache.
    raise NotImplementedError("relu_forward: replace this line with your code")
    return out, cache

def relu_backward(dout, cache):
    """
    Computes the backward pass of a layer of rectified linear units (ReLUs).

    Inputs:
    - dout: Upstream gradient, of any shape, e.g. (N, H).
    - cache: What your relu_forward returned as its cache.

    Returns:
    - dx: Gradient with respect to x, of the same shape as dout
    """
    # TODO: mask dout where the forward input was not positive, without changing dout.
    raise NotImplementedError("relu_backward: replace this line with your code")
    return dx

# TODO: set dead_unit_gradient to a number.
dead_unit_gradient = None  # your answer here, in place of None

def softmax_loss(scores, y):
    """
    Computes the softmax cross-entropy loss and its gradient, averaged over the batch.

    Inputs:
    - scores: A numpy array of shape (N, C), the class scores of N examples.
    - y: A numpy array of shape (N,) of integer labels, 0 <= y[i] < C.

    Returns a tuple of:
    - loss: The mean cross-entropy loss over the N examples, a float
    - dscores: Gradient of the loss with respect to scores, of shape (N, C)
    """
    # TODO: shift each row by its maximum, compute the mean loss and dscores = (p - onehot(y)) / N.
    raise NotImplementedError("softmax_loss: replace this line with your code")
    return loss, dscores

# TODO: set max_shift_reason to "a", "b", "c" or "d".
max_shift_reason = None  # your answer here, in place of None

def two_layer_net_loss(params, X, y=None, reg=0.0):
    """
    Computes the scores, or the loss and gradients, of the two-layer network.

    Inputs:
    - params: A dict with W1 of shape (D, H), b1 of shape (H,), W2 of shape (H, C), b2 of shape (C,).
    - X: A numpy array of shape (N, D), a minibatch of N examples in rows.
    - y: A numpy array of shape (N,) of integer labels, or None.
    - reg: The L2 regularization strength (lambda), a float.

    Returns:
    If y is None:
    - scores: A numpy array of shape (N, C)
    Otherwise a tuple of:
    - loss: The data loss plus reg / 2 * (sum of squares of W1 and of W2), a float
    - grads: A dict with the same keys and shapes as params, the gradients of loss
    """
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # TODO: forward pass with affine_forward, relu_forward and affine_forward again.
    raise NotImplementedError("two_layer_net_loss: replace this line with your code")
    if y is None:
        return scores
    # TODO: the loss (softmax_loss plus the L2 penalty), then the backward pass and the penalty's gradient.
    raise NotImplementedError("two_layer_net_loss: replace this line with your code")
    return loss, grads

# TODO: set wrong_row to "a", "b", "c", "d" or "e".
wrong_row = None  # your answer here, in place of None

# TODO: set wrong_row_value to the right value of the wrong row, a list of numbers.
wrong_row_value = None  # your answer here, in place of None

def numerical_gradient(f, x, h=1e-5):
    """
    Estimates the gradient of a scalar function by centered differences.

    Inputs:
    - f: A function of no arguments that returns a float; it reads the array x.
    - x: A numpy array of any shape, perturbed in place and restored.
    - h: The step size.

    Returns:
    - grad: A numpy array of the same shape as x, the estimate of df/dx
    """
    # TODO: for every index of x, evaluate f at x + h and x - h there, then restore x.
    raise NotImplementedError("numerical_gradient: replace this line with your code")
    return grad

def predict(params, X):
    """
    Predicts the class of each example with the two-layer network.

    Inputs:
    - params: A dict with W1, b1, W2, b2 as for two_layer_net_loss.
    - X: A numpy array of shape (N, D).

    Returns:
    - y_pred: A numpy array of shape (N,) of integer labels in [0, C)
    """
    # TODO: use two_layer_net_loss to get the scores, and take the best class of each row.
    raise NotImplementedError("predict: replace this line with your code")
    return y_pred

# TODO: set gradient_check_bug to "a", "b", "c", "d" or "e".
gradient_check_bug = None  # your answer here, in place of None
