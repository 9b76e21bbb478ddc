import Dispatch
import FoundationEssentials
import Platform

/// Runs a batch: images are prepared on a pool of `preparationWorkers` threads while `jobs` senders send the
/// prepared ones; a bounded number of prepared requests wait between the two, so memory stays flat whatever the
/// number of images. Results reach `deliver` as each request completes (from the sender threads, in any order).
public struct BatchRunner: Sendable {
    /// One input's preparation result.
    public typealias Prepared = (image: String, input: Result<Input, VQError>)

    public var jobs: Int
    public var preparationWorkers: Int
    /// Turns one input argument into an input and its parts (read, validate, shrink); runs on the preparation pool.
    public var prepare: @Sendable (String) -> Result<Input, VQError>
    /// Sends one request carrying `inputs`; returns one result per input.
    public var send: @Sendable ([Input]) -> [BatchResult]
    /// Stops the batch when its first requests show it cannot work; nil never stops.
    public var earlyStop: BatchEarlyStop?

    public init(
        jobs: Int, preparationWorkers: Int, prepare: @escaping @Sendable (String) -> Result<Input, VQError>,
        send: @escaping @Sendable ([Input]) -> [BatchResult]
    ) {
        precondition(jobs > 0 && preparationWorkers > 0, "a batch needs at least one sender and one preparer")
        self.jobs = jobs
        self.preparationWorkers = preparationWorkers
        self.prepare = prepare
        self.send = send
    }

    /// Processes every group (the images of one request) and returns when all are delivered, or, once `earlyStop`
    /// stops the batch, when the requests in flight are; groups not sent then are not delivered.
    public func run(_ groups: [[String]], deliver: @escaping @Sendable (BatchResult) -> Void) {
        let earlyStop = self.earlyStop
        let queue = BoundedQueue<[Prepared]>()
        // Groups prepared or being prepared but not yet sent: the memory bound.
        let slots = DispatchSemaphore(value: jobs + preparationWorkers)
        // The preparation pool: workers take groups the feeder lets through (one slot each) and queue them prepared.
        let waiting = BoundedQueue<[String]>()
        let preparers = DispatchGroup()
        let prepare = self.prepare
        for _ in 0..<preparationWorkers {
            preparers.enter()
            BackgroundThread.start {
                while let group = waiting.take() {
                    queue.put(group.map { (image: $0, input: prepare($0)) })
                }
                preparers.leave()
            }
        }
        BackgroundThread.start {
            for group in groups {
                slots.wait()
                if earlyStop?.isStopped == true {
                    slots.signal()  // a semaphore must not end below its start value
                    break
                }
                waiting.put(group)
            }
            waiting.close()
            preparers.wait()
            queue.close()
        }

        let senders = DispatchGroup()
        for _ in 0..<jobs {
            senders.enter()
            BackgroundThread.start(stackSize: 1 << 20) { [send] in
                while let group = queue.take() {
                    if earlyStop?.isStopped == true {
                        slots.signal()  // not sent: left for --resume
                        continue
                    }
                    var inputs: [Input] = []
                    for item in group {
                        switch item.input {
                        case .success(let input): inputs.append(input)
                        case .failure(let error):
                            var result = BatchResult(image: item.image)
                            result.error = error
                            deliver(result)
                        }
                    }
                    if !inputs.isEmpty {
                        let results = send(inputs)
                        _ = earlyStop?.record(results)
                        results.forEach(deliver)
                    }
                    slots.signal()
                }
                senders.leave()
            }
        }
        senders.wait()
    }
}
